import { z } from 'zod';

/**
 * Job ids sort by creation time: `j_` + the creation time in ms (base 36, 9 digits) + `_` + 10
 * random base-36 characters. Safe as a file name by construction, so agents check every id
 * they are given against it.
 */
export const JOB_ID_PATTERN = /^j_[0-9a-z]{9}_[0-9a-z]{10}$/;

export const JobId = z
  .string()
  .regex(JOB_ID_PATTERN, 'Job id must look like j_0m8k2q3x1_4f9a0b2c7d');
export type JobId = z.infer<typeof JobId>;

export const JobState = z.enum(['pending', 'running', 'succeeded', 'failed', 'cancelled']);
export type JobState = z.infer<typeof JobState>;

/** States a job never leaves. */
export const FINISHED_JOB_STATES: readonly JobState[] = ['succeeded', 'failed', 'cancelled'];

export function isJobFinished(state: JobState): boolean {
  return FINISHED_JOB_STATES.includes(state);
}

/**
 * What a job does; `target` names what it acts on (a version for `version.install`). Kinds are
 * added here as features land (`instance.create`, `backup.create`, `backup.restore`, …).
 */
export const JobKind = z.enum([
  'version.install',
  'instance.create',
  'backup.create',
  'backup.restore',
  'instance.clone',
  'version.enterprise_upgrade',
  'repo_clone',
  'repo_pull',
  /** Moves instances between servers; run by the control plane (it talks to both agents). */
  'migrate',
]);
export type JobKind = z.infer<typeof JobKind>;

/**
 * Why a job failed or was cancelled. Codes the agent uses include `agent_restarted`,
 * `agent_stopped`, `cancelled`, `git_clone_failed`, `no_python`, `venv_failed`, `pip_failed`,
 * `internal`; clients must accept others.
 */
export const JobError = z.object({ code: z.string(), message: z.string() });
export type JobError = z.infer<typeof JobError>;

const Timestamp = z.iso.datetime({ offset: true });

/** A long operation on the agent. Timestamps are ISO 8601. */
export const Job = z.object({
  id: JobId,
  kind: JobKind,
  state: JobState,
  /** 0..1 while known; null when the job cannot tell. */
  progress: z.number().min(0).max(1).nullable(),
  target: z.string(),
  createdAt: Timestamp,
  startedAt: Timestamp.nullable(),
  endedAt: Timestamp.nullable(),
  error: JobError.nullable().optional(),
  /** Who asked for it, as the control plane tells the agent (e.g. a user's email). */
  requestedBy: z.string().nullable().optional(),
});
export type Job = z.infer<typeof Job>;

/**
 * Optional header on requests that start a job: who asked for it (e.g. the panel user's email).
 * The agent stores it as the job's `requestedBy`.
 */
export const REQUESTED_BY_HEADER = 'x-ordo-requested-by';

/** The 202 answer of every route that starts a job. */
export const JobAccepted = z.object({ job: Job });
export type JobAccepted = z.infer<typeof JobAccepted>;

/** `GET /v1/jobs`: newest first. */
export const JobList = z.object({ jobs: z.array(Job) });
export type JobList = z.infer<typeof JobList>;

export const JOB_LIST_MAX_LIMIT = 500;

/** Query of `GET /v1/jobs`; every filter is optional. */
export const JobListQuery = z.object({
  state: z
    .enum(JobState.options, { error: `must be one of ${JobState.options.join(', ')}` })
    .optional(),
  kind: z
    .enum(JobKind.options, { error: `must be one of ${JobKind.options.join(', ')}` })
    .optional(),
  target: z.string().min(1).max(200).optional(),
  limit: z.coerce
    .number({ error: `must be a whole number from 1 to ${JOB_LIST_MAX_LIMIT}` })
    .int({ error: `must be a whole number from 1 to ${JOB_LIST_MAX_LIMIT}` })
    .min(1, { error: `must be a whole number from 1 to ${JOB_LIST_MAX_LIMIT}` })
    .max(JOB_LIST_MAX_LIMIT, { error: `must be a whole number from 1 to ${JOB_LIST_MAX_LIMIT}` })
    .default(100),
});
export type JobListQuery = Partial<z.output<typeof JobListQuery>>;

/**
 * `GET /v1/jobs/:id/log` is a `text/event-stream` of `log` events, then one `end` event.
 * A `log` event's data is a {@link JobLogChunk}; its SSE `id` is the same `offset`, so a
 * reconnect with `Last-Event-ID` (or `?offset=`) continues exactly where it stopped.
 */
export const JOB_LOG_EVENT = 'log';
export const JOB_LOG_END_EVENT = 'end';

/** Log text and the byte offset in the log just after it. */
export const JobLogChunk = z.object({
  offset: z.number().int().nonnegative(),
  text: z.string(),
});
export type JobLogChunk = z.infer<typeof JobLogChunk>;

/** Data of the `end` event: the job as it finished. */
export const JobLogEnd = z.object({ job: Job });
export type JobLogEnd = z.infer<typeof JobLogEnd>;
