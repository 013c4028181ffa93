import { findJob } from '../../db/repositories/jobs.repository';
import {
  findServerMigration,
  listUnfinishedControlJobIds,
  updateMigrationItems,
} from '../../db/repositories/server-migrations.repository';
import { openJobLocks } from '../jobs/job-locks';
import { ControlJobLog, finishControlJob } from './control-job';
import type { MigrationDeps } from './deps';
import { parseItems } from './view';

export const CONTROL_RESTARTED = 'control_restarted';

/**
 * Marks failed every migration still `running` that no live control process holds (the
 * process running it stopped). Sources stay running (they are stopped last); what may be left
 * on the target is named so the admin can delete it. Answers the ids marked.
 */
export async function failOrphanedMigrations(
  deps: Pick<MigrationDeps, 'db' | 'jobHub' | 'logger' | 'now'>,
): Promise<string[]> {
  const ids = await listUnfinishedControlJobIds(deps.db);
  if (ids.length === 0) return [];
  const locks = await openJobLocks(deps.db);
  const marked: string[] = [];
  try {
    for (const id of ids) {
      // Held by the process running it: alive, leave it.
      if (!(await locks.tryLock(id))) continue;
      try {
        await failOne(deps, id);
        marked.push(id);
      } finally {
        await locks.unlock(id);
      }
    }
  } finally {
    await locks.close();
  }
  return marked;
}

async function failOne(
  deps: Pick<MigrationDeps, 'db' | 'jobHub' | 'logger' | 'now'>,
  id: string,
): Promise<void> {
  const job = await findJob(deps.db, id);
  if (job === undefined) return;
  const migration = await findServerMigration(deps.db, id);
  const items = parseItems(migration?.items);
  const interrupted = items.filter((item) => item.state === 'running').map((item) => item.name);
  const target = migration?.target_server_name ?? 'the target server';
  const leftovers =
    interrupted.length === 0
      ? ''
      : ` ${target} may hold a partial copy of ${interrupted.join(', ')}: check it there and delete it before migrating again.`;
  const message = `The control plane stopped while this migration ran. The source instances were left running (they are stopped last).${leftovers}`;
  for (const item of items) {
    if (item.state === 'running' || item.state === 'pending') {
      Object.assign(item, { state: 'failed', error: 'Interrupted: the control plane stopped' });
    }
  }
  const now = deps.now?.() ?? new Date();
  if (migration !== undefined) await updateMigrationItems(deps.db, id, items, now);
  const log = new ControlJobLog(
    deps,
    id,
    (error) => deps.logger.warn({ err: error, jobId: id }, 'cannot add to a migration log'),
    Number(job.log_offset),
  );
  await log.write(message);
  await finishControlJob(deps, id, {
    state: 'failed',
    error: { code: CONTROL_RESTARTED, message },
  });
  deps.logger.warn({ jobId: id }, 'migration left unfinished by a stopped control plane: failed');
}
