import { type AgentClient, AgentClientError, isJobFinished, type Job } from '@ordo/protocol';
import { pause } from '../jobs/follow-job';
import { MigrationFailure } from './migration-failure';

export interface WaitOptions {
  signal: AbortSignal;
  /** Server name, for messages. */
  serverName: string;
  /** What the job does, for messages ("backup", "restore"). */
  what: string;
  pollIntervalMs?: number;
  /** How long the agent may stay unreachable before the wait gives up (default 30 s). */
  unreachableLimitMs?: number;
  onProgress?: (progress: number | null) => Promise<void>;
}

/**
 * Polls the agent until the job ends and answers it when it succeeded. A failed or cancelled
 * job, an agent that forgot it or stays unreachable, or an abort (the agent job is then asked
 * to cancel) is a {@link MigrationFailure} naming the server.
 */
export async function waitForAgentJob(
  client: AgentClient,
  job: Job,
  options: WaitOptions,
): Promise<Job> {
  const interval = options.pollIntervalMs ?? 500;
  const limit = options.unreachableLimitMs ?? 30_000;
  let unreachableSince: number | null = null;
  let lastProgress: number | null | undefined;
  for (;;) {
    if (options.signal.aborted) {
      await client.cancelJob(job.id).catch(() => undefined);
      throw options.signal.reason;
    }
    let current: Job;
    try {
      current = await client.getJob(job.id);
      unreachableSince = null;
    } catch (error) {
      if (!(error instanceof AgentClientError)) throw error;
      if (error.code === 'agent_error') {
        throw new MigrationFailure(
          `${options.serverName} no longer knows the ${options.what} job ${job.id}: ${error.message}`,
        );
      }
      unreachableSince ??= Date.now();
      if (Date.now() - unreachableSince > limit) {
        throw new MigrationFailure(
          `Lost contact with ${options.serverName} during the ${options.what}: ${error.message}`,
        );
      }
      await pause(interval, options.signal);
      continue;
    }
    if (current.progress !== lastProgress) {
      lastProgress = current.progress;
      await options.onProgress?.(current.progress);
    }
    if (isJobFinished(current.state)) {
      if (current.state === 'succeeded') return current;
      const why = current.error?.message ?? `it ended ${current.state}`;
      throw new MigrationFailure(
        `The ${options.what} on ${options.serverName} failed (job ${job.id}): ${why}`,
      );
    }
    await pause(interval, options.signal);
  }
}
