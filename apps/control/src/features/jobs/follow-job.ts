import { type AgentClient, AgentClientError, type Job } from '@ordo/protocol';
import { appendLogChunk, findJob, updateFollowedJob } from '../../db/repositories/jobs.repository';
import { findServerById } from '../../db/repositories/servers.repository';
import type { JobChanges } from '../../db/types';
import type { JobDeps } from './deps';

export const JOB_LOST = {
  code: 'job_lost',
  message: 'The agent no longer knows this job',
} as const;

export interface FollowJobOptions {
  signal: AbortSignal;
  /** How often the job's state is polled while its log streams (default 1 s). */
  pollIntervalMs?: number;
  /** Longest pause between attempts while the agent cannot be reached (default 10 s). */
  maxBackoffMs?: number;
  /**
   * Called when the job has ended, after its final state is stored and before the mirror is
   * marked complete: log subscribers get their `end` only after it (e.g. a refresh of the
   * server's instances) is done. It must not throw.
   */
  onFinished?: (serverId: string, job: Job) => Promise<void>;
}

/** Another follower stored text this one did not expect: it owns the job now. */
class LostOwnership extends Error {}

/**
 * Mirrors one job until its end: the log from the stored offset on (chunk by chunk, resumable),
 * its state polled meanwhile, then the final state. An unreachable agent is retried with
 * backoff; an agent that does not know the job any more ends it as failed (`job_lost`).
 */
export async function followJob(
  deps: JobDeps,
  jobId: string,
  options: FollowJobOptions,
): Promise<void> {
  const { signal } = options;
  const log = deps.logger.child({ jobId });
  const now = () => deps.now?.() ?? new Date();
  let failures = 0;

  while (!signal.aborted) {
    const row = await findJob(deps.db, jobId);
    if (row === undefined || row.log_complete) return;
    const server = await findServerById(deps.db, row.server_id);
    if (server === undefined) return;

    const round = new AbortController();
    const roundSignal = AbortSignal.any([signal, round.signal]);
    let client: AgentClient;
    try {
      client = deps.agentClientFactory({
        agentUrl: server.agent_url,
        token: deps.secretBox.decrypt(server.token_ciphertext),
      });
    } catch (error) {
      log.error({ err: error }, 'cannot build an agent client to follow a job');
      await pause(options.maxBackoffMs ?? 10_000, signal);
      continue;
    }
    const polling = pollState(deps, client, jobId, roundSignal, options.pollIntervalMs ?? 1000);
    try {
      let offset = Number(row.log_offset);
      for await (const event of client.followJobLog(jobId, {
        fromOffset: offset,
        signal: roundSignal,
        maxReconnects: 2,
      })) {
        if (event.type === 'log') {
          const stored = await appendLogChunk(deps.db, {
            jobId,
            start: offset,
            end: event.offset,
            // PostgreSQL text cannot hold NUL; offsets stay the agent's byte offsets.
            text: event.text.replaceAll('\u0000', '\uFFFD'),
            now: now(),
          });
          if (!stored) throw new LostOwnership();
          offset = event.offset;
          failures = 0;
          deps.jobHub.changed(jobId);
          continue;
        }
        await updateFollowedJob(deps.db, jobId, jobChanges(event.job, now()));
        await options.onFinished?.(row.server_id, event.job);
        await updateFollowedJob(deps.db, jobId, { log_complete: true, updated_at: now() });
        deps.jobHub.changed(jobId);
        log.info({ state: event.job.state }, 'job ended');
        return;
      }
    } catch (error) {
      if (error instanceof LostOwnership) {
        // Gone with its server, or stored by another control process that owns it now.
        if ((await findJob(deps.db, jobId)) !== undefined) {
          log.warn('another control process stored this job log; leaving it to it');
        }
        return;
      }
      if (isUnknownJob(error)) {
        await updateFollowedJob(deps.db, jobId, {
          state: 'failed',
          error_code: JOB_LOST.code,
          error_message: JOB_LOST.message,
          ended_at: now(),
          updated_at: now(),
          log_complete: true,
        });
        deps.jobHub.changed(jobId);
        log.warn('the agent no longer knows the job: marked failed');
        return;
      }
      if (!(error instanceof AgentClientError)) throw error;
      failures += 1;
      log.warn({ err: error, failures }, 'cannot follow the job on its agent; retrying');
      await pause(Math.min(500 * 2 ** (failures - 1), options.maxBackoffMs ?? 10_000), signal);
    } finally {
      round.abort();
      await polling;
    }
  }
}

/** The state, progress and timestamps the agent reports, as mirror columns. */
export function jobChanges(job: Job, now: Date): JobChanges {
  return {
    state: job.state,
    progress: job.progress,
    started_at: job.startedAt,
    ended_at: job.endedAt,
    error_code: job.error?.code ?? null,
    error_message: job.error?.message ?? null,
    updated_at: now,
  };
}

function isUnknownJob(error: unknown): boolean {
  return error instanceof AgentClientError && error.code === 'agent_error' && error.status === 404;
}

async function pollState(
  deps: JobDeps,
  client: AgentClient,
  jobId: string,
  signal: AbortSignal,
  intervalMs: number,
): Promise<void> {
  let last = '';
  while (!signal.aborted) {
    await pause(intervalMs, signal);
    if (signal.aborted) return;
    try {
      const job = await client.getJob(jobId);
      const seen = `${job.state}/${job.progress}`;
      if (seen === last) continue;
      last = seen;
      if (await updateFollowedJob(deps.db, jobId, jobChanges(job, deps.now?.() ?? new Date())))
        deps.jobHub.changed(jobId);
    } catch (error) {
      // The log stream notices the same failures and retries; polling just tries again.
      deps.logger.debug({ err: error, jobId }, 'job state poll failed');
    }
  }
}

export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
