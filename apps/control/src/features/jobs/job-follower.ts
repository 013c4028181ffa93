import type { Job } from '@ordo/protocol';
import { listUnfollowedJobIds } from '../../db/repositories/jobs.repository';
import type { JobDeps } from './deps';
import { followJob, pause } from './follow-job';
import { type JobLocks, openJobLocks } from './job-locks';

export interface JobFollowerOptions {
  /** How often the mirror is scanned for jobs nobody follows (default 2 s). */
  scanIntervalMs?: number;
  pollIntervalMs?: number;
  maxBackoffMs?: number;
  /** Called when a job has ended (e.g. to refresh that server's instances); see followJob. */
  onFinished?: (serverId: string, job: Job) => Promise<void>;
}

export interface JobFollower {
  /** Jobs this process follows now. */
  following(): string[];
  /** Stops following (jobs go on on their agents; the next start resumes them). */
  stop(): Promise<void>;
}

/**
 * Follows every job whose mirror is not complete, from its stored log offset: jobs recorded
 * now, jobs left unfinished by an earlier run of the control plane, and jobs another control
 * process dropped. An advisory lock per job keeps two processes from following the same one.
 */
export function startJobFollower(deps: JobDeps, options: JobFollowerOptions = {}): JobFollower {
  const stopping = new AbortController();
  const tasks = new Map<string, Promise<void>>();
  let locks: JobLocks | null = null;
  let scanning: Promise<void> | null = null;
  let rescan = false;

  async function getLocks(): Promise<JobLocks> {
    locks ??= await openJobLocks(deps.db);
    return locks;
  }

  /** A broken lock connection means lost locks: drop everything and start over. */
  async function resetLocks(error: unknown): Promise<void> {
    deps.logger.warn({ err: error }, 'job lock connection failed; re-acquiring');
    const old = locks;
    locks = null;
    await old?.close().catch(() => undefined);
  }

  function follow(jobId: string, held: JobLocks): void {
    const task = followJob(deps, jobId, {
      signal: stopping.signal,
      ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
      ...(options.maxBackoffMs === undefined ? {} : { maxBackoffMs: options.maxBackoffMs }),
      ...(options.onFinished === undefined ? {} : { onFinished: options.onFinished }),
    })
      .catch((error: unknown) => {
        deps.logger.error({ err: error, jobId }, 'following a job failed; will retry');
      })
      .finally(async () => {
        tasks.delete(jobId);
        await held.unlock(jobId).catch(() => undefined);
      });
    tasks.set(jobId, task);
  }

  async function scanOnce(): Promise<void> {
    const ids = await listUnfollowedJobIds(deps.db);
    for (const id of ids) {
      if (stopping.signal.aborted) return;
      if (tasks.has(id)) continue;
      const held = await getLocks();
      try {
        if (await held.tryLock(id)) follow(id, held);
      } catch (error) {
        await resetLocks(error);
        return;
      }
    }
  }

  function scan(): void {
    if (stopping.signal.aborted) return;
    if (scanning !== null) {
      rescan = true;
      return;
    }
    scanning = (async () => {
      do {
        rescan = false;
        try {
          await scanOnce();
        } catch (error) {
          deps.logger.warn({ err: error }, 'scanning for jobs to follow failed');
        }
      } while (rescan && !stopping.signal.aborted);
    })().finally(() => {
      scanning = null;
    });
  }

  const offRecorded = deps.jobHub.onRecorded(() => scan());
  const loop = (async () => {
    while (!stopping.signal.aborted) {
      scan();
      await pause(options.scanIntervalMs ?? 2000, stopping.signal);
    }
  })();

  return {
    following: () => [...tasks.keys()],
    async stop() {
      offRecorded();
      stopping.abort();
      await loop;
      await scanning;
      await Promise.all(tasks.values());
      await locks?.close().catch(() => undefined);
      locks = null;
    },
  };
}
