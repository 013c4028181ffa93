import { posix } from 'node:path';
import type { ZipEntry } from '../zip/open-zip';

const MANIFESTS = ['__manifest__.py', '__openerp__.py'];
const MODULE_NAME = /^[A-Za-z0-9_]+$/;

export interface FoundModule {
  name: string;
  /** The module folder inside the archive, e.g. `repo/addons/sale_extra`. */
  dir: string;
  entries: ZipEntry[];
}

/**
 * Odoo modules anywhere in the archive: folders holding `__manifest__.py` (or the legacy
 * `__openerp__.py`). A module nested in another module's folder belongs to it (the outermost
 * wins); files outside any module are ignored.
 */
export function findModules(entries: readonly ZipEntry[]): FoundModule[] | { error: string } {
  const dirs = new Set<string>();
  for (const entry of entries) {
    if (entry.kind !== 'file') continue;
    const dir = posix.dirname(entry.name);
    if (dir !== '.' && MANIFESTS.includes(posix.basename(entry.name))) dirs.add(dir);
  }
  const outermost = [...dirs].filter(
    (dir) => ![...dirs].some((other) => other !== dir && dir.startsWith(`${other}/`)),
  );
  const modules: FoundModule[] = [];
  for (const dir of outermost.sort()) {
    const name = posix.basename(dir);
    if (!MODULE_NAME.test(name)) {
      return { error: `"${dir}" is not a valid module name (letters, digits and "_" only)` };
    }
    if (modules.some((module) => module.name === name)) {
      return { error: `The archive holds the module "${name}" twice` };
    }
    modules.push({
      name,
      dir,
      entries: entries.filter((entry) => entry.kind === 'file' && entry.name.startsWith(`${dir}/`)),
    });
  }
  return modules;
}
