import { randomBytes } from 'node:crypto';
import type { JobState } from '@ordo/protocol';
import type { Kysely } from 'kysely';
import { appendLogChunk, updateFollowedJob } from '../../db/repositories/jobs.repository';
import type { Database } from '../../db/types';
import type { JobHub } from '../jobs/job-hub';
import type { Requester } from '../jobs/deps';

export interface ControlJobDeps {
  db: Kysely<Database>;
  jobHub: JobHub;
  now?: () => Date;
}

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** An id in the agents' format (JOB_ID_PATTERN), so every job sorts and validates alike. */
export function newControlJobId(now: Date): string {
  const time = now.getTime().toString(36).padStart(9, '0');
  const random = [...randomBytes(10)].map((byte) => ALPHABET[byte % 36]).join('');
  return `j_${time}_${random}`;
}

/** Inserts a job the control plane runs itself, running from the start. */
export async function insertControlJob(
  db: Kysely<Database>,
  job: {
    id: string;
    kind: 'migrate';
    serverId: string;
    target: string;
    requester: Requester;
    now: Date;
  },
): Promise<void> {
  await db
    .insertInto('jobs')
    .values({
      id: job.id,
      server_id: job.serverId,
      kind: job.kind,
      state: 'running',
      progress: 0,
      target: job.target,
      requested_by_user_id: job.requester.userId,
      requested_by: job.requester.email,
      created_at: job.now,
      started_at: job.now,
      updated_at: job.now,
      runner: 'control',
    })
    .execute();
}

/**
 * The log of a job run here, stored as the follower stores agent logs (chunks with byte
 * offsets), so the Jobs page and the live log read it the same way. Writes are serialised.
 */
export class ControlJobLog {
  #offset: number;
  #writes: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: ControlJobDeps,
    private readonly jobId: string,
    private readonly onError: (error: unknown) => void,
    /** Where the stored log ends (to add to the log of a job found unfinished). */
    fromOffset = 0,
  ) {
    this.#offset = fromOffset;
  }

  /** Appends the line (a newline is added); resolves once it is stored. */
  write(line: string): Promise<void> {
    this.#writes = this.#writes.then(async () => {
      const text = `${line.replaceAll('\u0000', '\uFFFD')}\n`;
      const start = this.#offset;
      const end = start + Buffer.byteLength(text, 'utf8');
      try {
        const stored = await appendLogChunk(this.deps.db, {
          jobId: this.jobId,
          start,
          end,
          text,
          now: this.deps.now?.() ?? new Date(),
        });
        if (!stored) throw new Error(`the log of job ${this.jobId} moved under this writer`);
        this.#offset = end;
        this.deps.jobHub.changed(this.jobId);
      } catch (error) {
        this.onError(error);
      }
    });
    return this.#writes;
  }

  /** Resolves once every line written so far is stored. */
  flush(): Promise<void> {
    return this.#writes;
  }
}

export async function setControlJobProgress(
  deps: ControlJobDeps,
  jobId: string,
  progress: number,
): Promise<void> {
  const now = deps.now?.() ?? new Date();
  const value = Math.min(1, Math.max(0, progress));
  if (await updateFollowedJob(deps.db, jobId, { progress: value, updated_at: now })) {
    deps.jobHub.changed(jobId);
  }
}

/** Ends the job: its final state, and its log marked complete so streams send their `end`. */
export async function finishControlJob(
  deps: ControlJobDeps,
  jobId: string,
  outcome: { state: Extract<JobState, 'succeeded' | 'failed' | 'cancelled'> } & {
    error?: { code: string; message: string } | null;
  },
): Promise<void> {
  const now = deps.now?.() ?? new Date();
  await updateFollowedJob(deps.db, jobId, {
    state: outcome.state,
    ...(outcome.state === 'succeeded' ? { progress: 1 } : {}),
    error_code: outcome.error?.code ?? null,
    error_message: outcome.error?.message ?? null,
    ended_at: now,
    updated_at: now,
    log_complete: true,
  });
  deps.jobHub.changed(jobId);
}
