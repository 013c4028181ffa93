import type { MigrationItem } from '@ordo/protocol/panel';
import { updateMigrationItems } from '../../db/repositories/server-migrations.repository';
import type { ServerRow } from '../../db/types';
import type { Requester } from '../jobs/deps';
import type { JobLocks } from '../jobs/job-locks';
import { agentClientFor } from '../servers/internal';
import { ControlJobLog, finishControlJob, setControlJobProgress } from './control-job';
import type { MigrationDeps } from './deps';
import { failureMessage } from './migration-failure';
import { moveInstance } from './move-instance';

export interface MigrationPlan {
  jobId: string;
  source: ServerRow;
  target: ServerRow;
  requester: Requester;
  /** In the order they move: productions before their staging instances. */
  items: MigrationItem[];
  /** Holds the job's advisory lock (taken before the job was stored); closed at the end. */
  locks: JobLocks;
}

/** How far the whole migration is: finished instances count whole. */
export function migrationProgress(items: readonly MigrationItem[]): number {
  if (items.length === 0) return 1;
  const sum = items.reduce(
    (total, item) =>
      total + (item.state === 'running' ? item.progress : item.state === 'pending' ? 0 : 1),
    0,
  );
  return sum / items.length;
}

/**
 * Runs the migration job: one instance after the other (a failure does not stop the others,
 * but a staging instance whose production did not move stays too), then the job's end. An
 * advisory lock on the job is held meanwhile, so a control plane starting elsewhere knows it
 * is alive (see `failOrphanedMigrations`).
 */
export async function runMigration(
  deps: MigrationDeps,
  plan: MigrationPlan,
  signal: AbortSignal,
): Promise<void> {
  const { jobId } = plan;
  const logger = deps.logger.child({ jobId });
  const log = new ControlJobLog(deps, jobId, (error) =>
    logger.error({ err: error }, 'cannot store a migration log line'),
  );
  const items = plan.items.map((item) => ({ ...item }));
  let writes: Promise<void> = Promise.resolve();
  // Serialised, and each write stores the state at its turn: the last write is the latest.
  const persist = () => {
    writes = writes.then(async () => {
      try {
        await updateMigrationItems(deps.db, jobId, items, deps.now?.() ?? new Date());
        await setControlJobProgress(deps, jobId, migrationProgress(items));
      } catch (error) {
        logger.warn({ err: error }, 'cannot store the migration progress');
      }
    });
    return writes;
  };

  try {
    const sourceClient = agentClientFor(deps, plan.source);
    const targetClient = agentClientFor(deps, plan.target);
    const movingWith = new Set(items.map((item) => item.name));
    const failed = new Set<string>();
    await log.write(
      `Migrating ${items.map((item) => item.name).join(', ')} from ${plan.source.name} to ${plan.target.name} (asked by ${plan.requester.email})`,
    );

    for (const item of items) {
      if (signal.aborted) {
        Object.assign(item, { state: 'failed', error: 'Cancelled before it started' });
        failed.add(item.name);
        await persist();
        continue;
      }
      if (item.parent !== null && failed.has(item.parent)) {
        const why = `Not moved: its production "${item.parent}" did not move`;
        Object.assign(item, { state: 'failed', error: why });
        failed.add(item.name);
        await log.write(`${item.name}: ${why}; it keeps running on ${plan.source.name}`);
        await persist();
        continue;
      }
      item.state = 'running';
      await persist();
      try {
        await moveInstance(
          {
            deps,
            jobId,
            requester: plan.requester,
            source: plan.source,
            target: plan.target,
            sourceClient,
            targetClient,
            movingWith,
            signal,
            log: (line) => log.write(line),
            report: (changes) => {
              Object.assign(item, changes);
              return persist();
            },
          },
          item.name,
        );
        Object.assign(item, { state: 'succeeded', step: 'done', progress: 1, error: null });
        await log.write(`${item.name}: moved to ${plan.target.name}`);
      } catch (error) {
        Object.assign(item, { state: 'failed', error: failureMessage(error) });
        failed.add(item.name);
      }
      await persist();
    }

    await writes;
    const moved = items.filter((item) => item.state === 'succeeded').map((item) => item.name);
    await log.write(
      moved.length === 0
        ? 'No instance moved.'
        : `Moved to ${plan.target.name}: ${moved.join(', ')}. Their copies on ${plan.source.name} are stopped, not deleted: delete them there once you have checked the instances on ${plan.target.name}.`,
    );
    await log.flush();
    if (failed.size === 0) {
      await finishControlJob(deps, jobId, { state: 'succeeded' });
    } else {
      const summary = `${failed.size} of ${items.length} instances did not move (${[...failed].join(', ')}); they keep running on ${plan.source.name}`;
      await finishControlJob(deps, jobId, {
        state: signal.aborted ? 'cancelled' : 'failed',
        error: { code: signal.aborted ? 'cancelled' : 'migration_failed', message: summary },
      });
    }
    logger.info({ moved, failed: [...failed] }, 'migration ended');
  } catch (error) {
    logger.error({ err: error }, 'migration stopped on an unexpected error');
    await log.write(`Migration stopped: ${failureMessage(error)}`);
    await log.flush();
    await finishControlJob(deps, jobId, {
      state: 'failed',
      error: { code: 'internal', message: `The migration stopped: ${failureMessage(error)}` },
    }).catch((finishError: unknown) =>
      logger.error({ err: finishError }, 'cannot mark the migration failed'),
    );
  } finally {
    await plan.locks.close().catch(() => undefined);
  }
}
