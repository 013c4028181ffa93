import type { Logger } from 'pino';
import { registerBackupJobs } from './backups/backup-jobs';
import { JobRunner } from './jobs/job-runner';
import type { PgTarget } from './postgres/pg-target';
import { recoverRestore } from './restore/undo-restore';
import { registerVersionJobs } from './versions/version-jobs';

/** The agent's job runner with every kind's crash cleanup registered. */
export function createAgentJobRunner(deps: {
  root: string;
  logger: Logger;
  now?: () => Date;
  /** Where instance databases live; without it an interrupted restore is not undone. */
  pg?: PgTarget;
}) {
  const runner = new JobRunner(deps);
  registerVersionJobs(runner, deps.root);
  registerBackupJobs(runner, deps.root);
  const { pg } = deps;
  if (pg !== undefined) {
    runner.registerCleanup('backup.restore', (job) =>
      recoverRestore(deps.root, pg, job.target, deps.logger),
    );
  }
  return runner;
}
