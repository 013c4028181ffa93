import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { AddonsUploaded } from '@ordo/protocol';
import { AgentError } from '../errors';
import { runInstanceAction } from '../instances/instance-actions';
import type { InstanceDeps } from '../instances/instance-deps';
import { instancePaths } from '../instances/instance-paths';
import { requireReadyInstance } from '../instances/require-instance';
import { receiveUpload } from '../restore/receive-upload';
import { openCheckedZip, type CheckedZip } from '../zip/open-zip';
import { UnsafeArchiveError, type ZipLimits } from '../zip/zip-limits';
import { findModules, type FoundModule } from './find-modules';

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * Receives a ZIP of modules, checks it whole before writing anything, extracts every module
 * into a hidden sibling of its final folder, then swaps each in by renames (so Odoo never sees
 * half a module) and restarts the instance when it runs.
 */
export async function installAddons(
  deps: InstanceDeps,
  limits: { maxUploadBytes: number; zip: ZipLimits },
  name: string,
  request: Request,
): Promise<AddonsUploaded> {
  const record = await requireReadyInstance(deps, name, 'upload addons to');
  const upload = await receiveUpload(deps.root, request, limits.maxUploadBytes);
  let zip: CheckedZip | null = null;
  const id = randomBytes(4).toString('hex');
  const addons = instancePaths(deps.root, name).addons;
  const staged: string[] = [];
  try {
    zip = await openCheckedZip(upload, limits.zip).catch((error: unknown) => {
      throw error instanceof UnsafeArchiveError
        ? new AgentError('bad_request', 400, error.message)
        : error;
    });
    const found = findModules(zip.entries);
    if ('error' in found) throw new AgentError('bad_request', 400, found.error);
    if (found.length === 0) {
      throw new AgentError(
        'bad_request',
        400,
        'The archive holds no Odoo module (no folder with __manifest__.py)',
      );
    }
    await mkdir(addons, { recursive: true });
    for (const module of found) {
      const temp = join(addons, `.${module.name}.tmp-${id}`);
      staged.push(temp);
      await extractModule(zip, module, temp);
    }
    const result: AddonsUploaded = { added: [], updated: [] };
    for (const module of found) {
      const target = join(addons, module.name);
      const old = join(addons, `.${module.name}.old-${id}`);
      const replacing = await exists(target);
      if (replacing) await rename(target, old);
      await rename(join(addons, `.${module.name}.tmp-${id}`), target);
      if (replacing) await rm(old, { recursive: true, force: true });
      (replacing ? result.updated : result.added).push(module.name);
    }
    if (record.desiredState === 'running') await runInstanceAction(deps, name, 'restart');
    return result;
  } finally {
    zip?.close();
    await rm(upload, { force: true });
    await Promise.all(staged.map((path) => rm(path, { recursive: true, force: true })));
  }
}

async function extractModule(zip: CheckedZip, module: FoundModule, into: string): Promise<void> {
  await mkdir(into, { recursive: true });
  for (const entry of module.entries) {
    // Names were checked (no "..", not absolute) when the archive was opened.
    const target = join(into, entry.name.slice(module.dir.length + 1));
    await mkdir(dirname(target), { recursive: true });
    try {
      await pipeline(await zip.read(entry), createWriteStream(target, { flags: 'wx' }));
    } catch (error) {
      throw new AgentError(
        'bad_request',
        400,
        error instanceof UnsafeArchiveError ? error.message : `Cannot extract ${entry.name}`,
      );
    }
  }
}
