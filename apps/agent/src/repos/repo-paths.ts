import { join } from 'node:path';
import { instanceDir } from '../instances/instance-paths';

/**
 * Where an instance's repositories live: their records in `repos.json` and their checkouts in
 * `repos/<id>`, both inside the instance directory, so deleting the instance takes them along
 * and the Docker runtime (which mounts that directory at the same path) sees the checkouts.
 */
export function repoPaths(root: string, instance: string) {
  const dir = instanceDir(root, instance);
  return {
    records: join(dir, 'repos.json'),
    checkouts: join(dir, 'repos'),
  };
}

export function checkoutPath(root: string, instance: string, id: string): string {
  return join(repoPaths(root, instance).checkouts, id);
}
