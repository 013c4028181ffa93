import { chmod, readFile } from 'node:fs/promises';
import type { InstanceDeps } from '../instances/instance-deps';
import { instancePaths, isOrdoAddonsPath } from '../instances/instance-paths';
import type { InstanceRecord } from '../instances/instance-record';
import { formatIni, parseIni } from '../odoo/conf-file';
import { OPTIONS_SECTION } from '../odoo/odoo-conf';
import { writeFileAtomic } from '../system/write-file-atomic';

/**
 * Adds or removes one directory of the instance's addons_path in odoo.conf (replaced
 * atomically; every other key stays as it is). A checkout goes after Ordo's own directories
 * and before the admin's extra ones, where the config API keeps it. Call with the instance's
 * lock held. Answers whether the file changed.
 */
export async function editAddonsPath(
  deps: Pick<InstanceDeps, 'root' | 'logger'>,
  record: Pick<InstanceRecord, 'name' | 'version'>,
  edit: { add: string } | { remove: string },
): Promise<boolean> {
  const conf = instancePaths(deps.root, record.name).conf;
  const document = parseIni(await readFile(conf, 'utf8'));
  const options = new Map(document.get(OPTIONS_SECTION) ?? []);
  const paths = (options.get('addons_path') ?? '')
    .split(',')
    .map((path) => path.trim())
    .filter((path) => path !== '');
  let next: string[];
  if ('add' in edit) {
    if (paths.includes(edit.add)) return false;
    const isOrdo = isOrdoAddonsPath(deps.root, record);
    const at = paths.findLastIndex(isOrdo) + 1;
    next = [...paths.slice(0, at), edit.add, ...paths.slice(at)];
  } else {
    next = paths.filter((path) => path !== edit.remove);
    if (next.length === paths.length) return false;
  }
  options.set('addons_path', next.join(','));
  const updated = new Map(document);
  updated.set(OPTIONS_SECTION, options);
  await writeFileAtomic(conf, formatIni(updated));
  await chmod(conf, 0o640);
  deps.logger.info({ instance: record.name, addonsPath: next }, 'addons_path updated');
  return true;
}

/** Whether `path` is on the instance's addons_path now. */
export async function onAddonsPath(root: string, name: string, path: string): Promise<boolean> {
  const document = parseIni(await readFile(instancePaths(root, name).conf, 'utf8'));
  return (document.get(OPTIONS_SECTION)?.get('addons_path') ?? '')
    .split(',')
    .some((entry) => entry.trim() === path);
}
