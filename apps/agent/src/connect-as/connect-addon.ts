import { chmod, cp, readdir, readFile, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Logger } from 'pino';
import { formatIni, parseIni } from '../odoo/conf-file';
import { instanceDir, instancePaths } from '../instances/instance-paths';
import { isNotFound, writeFileAtomic } from '../system/write-file-atomic';
import { CONNECT_MODULE, resolveOrdoAddonsDir } from './addon-source';
import { withConnectAddon } from './connect-conf';

export interface ConnectAddonDeps {
  root: string;
}

/**
 * `<instance>/ordo-addons`: the addons_path entry for Ordo's own modules. A copy per instance,
 * inside the instance's directory, so the docker runtime's bind mount carries it, Ordo counts
 * it as one of its own addons paths, and an agent upgrade changes it only when it next checks.
 */
export function instanceOrdoAddonsDir(root: string, name: string): string {
  return join(instanceDir(root, name), 'ordo-addons');
}

async function files(dir: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(
    (error: unknown) => {
      if (isNotFound(error)) return [];
      throw error;
    },
  );
  for (const entry of entries) {
    const path = join(entry.parentPath, entry.name);
    if (!entry.isFile() || path.includes('__pycache__')) continue;
    found.set(relative(dir, path), await readFile(path, 'utf8'));
  }
  return found;
}

function sameFiles(a: Map<string, string>, b: Map<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [path, text] of a) if (b.get(path) !== text) return false;
  return true;
}

/**
 * Makes the instance able to serve "connect as" links once Odoo (re)starts: copies
 * `ordo_connect` into `<instance>/ordo-addons` when it is missing or differs from the agent's,
 * and adds it to odoo.conf (see withConnectAddon). Answers whether odoo.conf changed, i.e.
 * whether a running Odoo must restart to load it. Call with the instance's lock held.
 */
export async function ensureConnectAddon(deps: ConnectAddonDeps, name: string): Promise<boolean> {
  const source = join(await resolveOrdoAddonsDir(), CONNECT_MODULE);
  const addonsDir = instanceOrdoAddonsDir(deps.root, name);
  const target = join(addonsDir, CONNECT_MODULE);
  if (!sameFiles(await files(source), await files(target))) {
    await rm(target, { recursive: true, force: true });
    await cp(source, target, {
      recursive: true,
      filter: (path) => !path.includes('__pycache__'),
    });
  }

  const conf = instancePaths(deps.root, name).conf;
  const next = withConnectAddon(parseIni(await readFile(conf, 'utf8')), addonsDir);
  if (next === null) return false;
  await writeFileAtomic(conf, formatIni(next));
  await chmod(conf, 0o640);
  return true;
}

/**
 * {@link ensureConnectAddon} where it must not stop anything else (creating or starting an
 * instance): a failure is logged, and "connect as" tries again, and says why, when used.
 */
export async function ensureConnectAddonQuietly(
  deps: ConnectAddonDeps & { logger: Logger },
  name: string,
): Promise<boolean> {
  try {
    return await ensureConnectAddon(deps, name);
  } catch (error) {
    deps.logger.warn(
      { instance: name, err: error },
      'cannot set up the connect-as module; "Connect as" will retry when it is used',
    );
    return false;
  }
}
