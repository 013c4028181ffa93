import { rm } from 'node:fs/promises';
import { backupsDir } from '../backups/backup-paths';
import { AgentError } from '../errors';
import { dropDatabase } from '../postgres/databases';
import { reason, unreachable } from '../postgres/pg-target';
import type { InstanceDeps } from './instance-deps';
import { instanceDir, runtimeInstance } from './instance-paths';
import { readAllInstanceRecords, writeInstanceRecord } from './instance-store';
import { requireReadyInstance } from './require-instance';
import { mapRuntimeErrors } from './runtime-failure';

/**
 * Deletes an instance and everything of it: its process, its database, its directory
 * (odoo.conf, addons, data/filestore, logs, pidfile) and its backups (`<root>/backups/<name>`:
 * users expect a deleted instance to be gone, and nothing could restore into it any more).
 * Nothing outside those.
 */
export async function deleteInstance(deps: InstanceDeps, name: string): Promise<void> {
  await deps.locks.run(name, async () => {
    const record = await requireReadyInstance(deps, name, 'delete');
    if (record.type === 'production') {
      const stagings = (await readAllInstanceRecords(deps.root, deps.logger))
        .filter((other) => other.parent === name)
        .map((other) => other.name);
      if (stagings.length > 0) {
        throw new AgentError(
          'conflict',
          409,
          `Instance "${name}" has staging instances (${stagings.join(', ')}); delete them first`,
        );
      }
    }
    await mapRuntimeErrors(() => deps.runtime.preflight({ start: false }));
    // Should dropping the database fail, the instance stays stopped, also after a restart.
    await writeInstanceRecord(deps.root, { ...record, desiredState: 'stopped' });
    await mapRuntimeErrors(() => deps.runtime.stop(runtimeInstance(deps.root, record)));
    try {
      await dropDatabase(deps.pg, record.database);
    } catch (error) {
      // A PostgreSQL error has a SQLSTATE code; anything else is the connection.
      if (typeof error === 'object' && error !== null && 'severity' in error) {
        throw new AgentError(
          'internal',
          500,
          `Cannot drop the database "${record.database}": ${reason(error)}`,
          { cause: error },
        );
      }
      throw unreachable(deps.pg, error);
    }
    await rm(instanceDir(deps.root, name), { recursive: true, force: true });
    await rm(backupsDir(deps.root, name), { recursive: true, force: true });
    deps.logger.info({ instance: name }, 'deleted instance');
  });
}
