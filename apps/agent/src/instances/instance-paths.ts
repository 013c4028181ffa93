import { join } from 'node:path';
import type { RuntimeInstance } from '../runtime/runtime';
import { versionDir } from '../versions/version-paths';
import type { InstanceRecord } from './instance-record';

export function instancesDir(root: string): string {
  return join(root, 'instances');
}

/** `<root>/instances/<name>`: everything of the instance but its database. */
export function instanceDir(root: string, name: string): string {
  return join(instancesDir(root), name);
}

export function instancePaths(root: string, name: string) {
  const dir = instanceDir(root, name);
  return {
    dir,
    conf: join(dir, 'odoo.conf'),
    logfile: join(dir, 'odoo.log'),
    addons: join(dir, 'addons'),
    data: join(dir, 'data'),
  };
}

export function runtimeInstance(
  root: string,
  record: Pick<InstanceRecord, 'name' | 'version'>,
): RuntimeInstance {
  const paths = instancePaths(root, record.name);
  return {
    name: record.name,
    version: record.version,
    dir: paths.dir,
    confPath: paths.conf,
    logfile: paths.logfile,
    versionDir: versionDir(root, record.version),
  };
}

/** Whether an addons path is one Ordo manages (the version's or the instance's own). */
export function isOrdoAddonsPath(root: string, record: Pick<InstanceRecord, 'name' | 'version'>) {
  const owned = [versionDir(root, record.version), instanceDir(root, record.name)];
  return (path: string) => owned.some((dir) => path === dir || path.startsWith(`${dir}/`));
}
