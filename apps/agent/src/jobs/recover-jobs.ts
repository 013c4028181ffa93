import { isJobFinished, type Job, type JobKind } from '@ordo/protocol';
import type { Logger } from 'pino';
import { killProcessGroupIfAlive } from '../system/process-identity';
import type { JobStore } from './job-store';

/** Undoes what an interrupted job of one kind may have left half done. */
export type JobCleanup = (job: Job) => Promise<void>;

export interface RecoverJobsDeps {
  store: JobStore;
  logger: Logger;
  now: () => Date;
  cleanups: ReadonlyMap<JobKind, JobCleanup>;
  isActive: (id: string) => boolean;
}

export const AGENT_RESTARTED = {
  code: 'agent_restarted',
  message: 'The agent restarted while this job was running',
} as const;

/**
 * A job recorded as pending or running that this process does not run was interrupted by a
 * crash or kill of a previous agent process: reap its processes, clean up, mark it failed.
 */
export async function recoverInterruptedJobs(deps: RecoverJobsDeps): Promise<Job[]> {
  const recovered: Job[] = [];
  for (const id of await deps.store.ids()) {
    if (deps.isActive(id)) continue;
    let job: Job | null;
    try {
      job = await deps.store.read(id);
    } catch (error) {
      deps.logger.warn({ jobId: id, err: error }, 'skipping unreadable job record');
      continue;
    }
    if (job === null || isJobFinished(job.state)) continue;

    for (const process of await deps.store.readProcesses(id)) {
      if (await killProcessGroupIfAlive(process)) {
        deps.logger.warn(
          { jobId: id, pid: process.pid },
          'killed a process left by the previous agent',
        );
      }
    }
    await deps.store.writeProcesses(id, []);

    const cleanup = deps.cleanups.get(job.kind);
    if (cleanup) {
      try {
        await cleanup(job);
      } catch (error) {
        deps.logger.error({ jobId: id, err: error }, 'cleanup of an interrupted job failed');
        const reason = error instanceof Error ? error.message : String(error);
        await deps.store.appendLog(id, Buffer.from(`Cleanup failed: ${reason}\n`));
      }
    }

    await deps.store.appendLog(id, Buffer.from(`Failed: ${AGENT_RESTARTED.message}\n`));
    const failed: Job = {
      ...job,
      state: 'failed',
      error: { ...AGENT_RESTARTED },
      endedAt: deps.now().toISOString(),
    };
    await deps.store.write(failed);
    deps.logger.warn(
      { jobId: id, kind: job.kind, target: job.target },
      'marked an interrupted job as failed',
    );
    recovered.push(failed);
  }
  return recovered;
}
