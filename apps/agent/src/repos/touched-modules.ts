import { posix } from 'node:path';

const MANIFESTS = new Set(['__manifest__.py', '__openerp__.py']);
const MODULE_NAME = /^[A-Za-z0-9_]+$/;

/**
 * The modules a change touched: for each changed path, the module folder (one holding
 * `__manifest__.py` or `__openerp__.py` in the new commit) that contains it; a module inside
 * another module's folder belongs to it, as with uploaded addons. Names Odoo cannot load are
 * left out, so the list is safe to pass to `-u`. Sorted, without duplicates.
 */
export function touchedModules(
  changedPaths: readonly string[],
  filesInNewCommit: readonly string[],
): string[] {
  const dirs = new Set<string>();
  for (const file of filesInNewCommit) {
    const dir = posix.dirname(file);
    if (dir !== '.' && MANIFESTS.has(posix.basename(file))) dirs.add(dir);
  }
  const outermost = [...dirs].filter(
    (dir) => ![...dirs].some((other) => other !== dir && dir.startsWith(`${other}/`)),
  );
  const touched = new Set<string>();
  for (const path of changedPaths) {
    const dir = outermost.find((candidate) => path.startsWith(`${candidate}/`));
    if (dir === undefined) continue;
    const name = posix.basename(dir);
    if (MODULE_NAME.test(name)) touched.add(name);
  }
  return [...touched].sort();
}
