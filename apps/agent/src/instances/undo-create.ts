import { rm } from 'node:fs/promises';
import { dropDatabase } from '../postgres/databases';
import { reason } from '../postgres/pg-target';
import { instanceDir, runtimeInstance } from './instance-paths';
import type { InstanceDeps } from './instance-deps';
import { readInstanceRecord } from './instance-store';

/**
 * Removes everything an unfinished creation of `name` made: its process, its database (unless
 * `keepDatabase`: the job found one it did not create) and its directory. An instance whose
 * creation finished is never touched. Throws after removing the rest if the database could not
 * be dropped, naming it so an admin can drop it.
 */
export async function undoCreate(
  deps: Pick<InstanceDeps, 'root' | 'pg' | 'runtime' | 'logger'>,
  name: string,
  options: { keepDatabase?: boolean } = {},
): Promise<void> {
  const found = await readInstanceRecord(deps.root, name);
  if (found.kind === 'found' && found.record.phase === 'ready') return;
  const version = found.kind === 'found' ? found.record.version : '';
  await deps.runtime.stop(runtimeInstance(deps.root, { name, version }));

  let dropFailure: unknown = null;
  if (!options.keepDatabase) {
    await dropDatabase(deps.pg, name).catch((error: unknown) => {
      dropFailure = error;
    });
  }
  await rm(instanceDir(deps.root, name), { recursive: true, force: true });
  deps.logger.info({ instance: name }, 'undid an unfinished instance creation');
  if (dropFailure !== null) {
    throw new Error(`The database "${name}" could not be dropped: ${reason(dropFailure)}`, {
      cause: dropFailure,
    });
  }
}
