import type { Job } from '@ordo/protocol';
import { JobFailure } from '../jobs/job-failure';
import type { InstanceDeps } from '../instances/instance-deps';
import { requireReadyInstance } from '../instances/require-instance';
import { reason } from '../postgres/pg-target';
import { createBackup } from './create-backup';

/** Queues a `backup.create` job for the instance; one at a time per instance. */
export async function startBackup(
  deps: InstanceDeps,
  name: string,
  requestedBy: string | null,
): Promise<Job> {
  const record = await requireReadyInstance(deps, name, 'back up');
  return deps.runner.enqueue({
    kind: 'backup.create',
    target: name,
    requestedBy,
    conflictMessage: (running) => `Instance ${name} is already being backed up (job ${running.id})`,
    handler: async (context) => {
      await createBackup(deps, record, {
        signal: context.signal,
        requestedBy,
        log: (line) => context.log(line),
      }).catch((error: unknown) => {
        if (context.signal.aborted) throw error;
        throw new JobFailure('backup_failed', `The backup failed: ${reason(error)}`);
      });
    },
  });
}
