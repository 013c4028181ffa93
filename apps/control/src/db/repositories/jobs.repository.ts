import { type Kysely, sql } from 'kysely';
import type { Database, JobChanges, JobLogChunkRow, JobRow, NewJob } from '../types';

export type JobWithServer = JobRow & { server_name: string };

export const UNFINISHED_STATES = ['pending', 'running'] as const;

export interface JobFilter {
  serverId?: string | undefined;
  state?: string | undefined;
  kind?: string | undefined;
  /** Substring of the target, case-insensitive. */
  search?: string | undefined;
  /** Exact target. */
  target?: string | undefined;
  /** Only pending or running jobs. */
  unfinished?: boolean;
  limit: number;
}

function selectJobsWithServer(db: Kysely<Database>) {
  return db
    .selectFrom('jobs')
    .innerJoin('servers', 'servers.id', 'jobs.server_id')
    .selectAll('jobs')
    .select('servers.name as server_name');
}

export function findJobWithServer(
  db: Kysely<Database>,
  id: string,
): Promise<JobWithServer | undefined> {
  return selectJobsWithServer(db).where('jobs.id', '=', id).executeTakeFirst();
}

export function findJob(db: Kysely<Database>, id: string): Promise<JobRow | undefined> {
  return db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Newest first. */
export function listJobsWithServer(
  db: Kysely<Database>,
  filter: JobFilter,
): Promise<JobWithServer[]> {
  let query = selectJobsWithServer(db);
  if (filter.serverId !== undefined) query = query.where('jobs.server_id', '=', filter.serverId);
  if (filter.state !== undefined) query = query.where('jobs.state', '=', filter.state);
  if (filter.kind !== undefined) query = query.where('jobs.kind', '=', filter.kind);
  if (filter.target !== undefined) query = query.where('jobs.target', '=', filter.target);
  if (filter.unfinished === true) query = query.where('jobs.state', 'in', UNFINISHED_STATES);
  if (filter.search !== undefined && filter.search !== '') {
    query = query.where(sql<boolean>`strpos(lower(jobs.target), lower(${filter.search})) > 0`);
  }
  return query
    .orderBy('jobs.created_at', 'desc')
    .orderBy('jobs.id', 'desc')
    .limit(filter.limit)
    .execute();
}

/** Inserts the job unless a row with its id exists; true when inserted. */
export async function insertJobIfAbsent(db: Kysely<Database>, job: NewJob): Promise<boolean> {
  const result = await db
    .insertInto('jobs')
    .values(job)
    .onConflict((oc) => oc.column('id').doNothing())
    .executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

/** Which of these ids are mirrored already. */
export async function knownJobIds(db: Kysely<Database>, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('jobs').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((row) => row.id));
}

/** Jobs whose log or final state is not mirrored yet, oldest first. */
export async function listUnfollowedJobIds(db: Kysely<Database>, limit = 200): Promise<string[]> {
  const rows = await db
    .selectFrom('jobs')
    .select('id')
    .where('log_complete', '=', false)
    // Jobs the control plane runs itself write their own log: there is no agent to follow.
    .where('runner', '=', 'agent')
    .orderBy('created_at')
    .limit(limit)
    .execute();
  return rows.map((row) => row.id);
}

/**
 * Updates a job that is still being followed; a job whose mirror is complete keeps its final
 * state, so a late answer can never turn it back to running.
 */
export async function updateFollowedJob(
  db: Kysely<Database>,
  id: string,
  changes: JobChanges,
): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set(changes)
    .where('id', '=', id)
    .where('log_complete', '=', false)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Stores `text`, the log bytes from `start` to `end`, only if the mirror ends exactly at
 * `start`: a second follower (another control process) can then never store text twice or
 * leave a gap, whatever the timing. True when stored.
 */
export function appendLogChunk(
  db: Kysely<Database>,
  chunk: { jobId: string; start: number; end: number; text: string; now: Date },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const moved = await trx
      .updateTable('jobs')
      .set({ log_offset: chunk.end, updated_at: chunk.now })
      .where('id', '=', chunk.jobId)
      .where('log_offset', '=', String(chunk.start))
      .executeTakeFirst();
    if (moved.numUpdatedRows === 0n) return false;
    await trx
      .insertInto('job_log_chunks')
      .values({
        job_id: chunk.jobId,
        start_offset: chunk.start,
        end_offset: chunk.end,
        text: chunk.text,
      })
      .execute();
    return true;
  });
}

/** Chunks ending after `afterOffset`, in log order. */
export function readLogChunks(
  db: Kysely<Database>,
  jobId: string,
  afterOffset: number,
  limit: number,
): Promise<JobLogChunkRow[]> {
  return db
    .selectFrom('job_log_chunks')
    .selectAll()
    .where('job_id', '=', jobId)
    .where('end_offset', '>', String(afterOffset))
    .orderBy('end_offset')
    .limit(limit)
    .execute();
}
