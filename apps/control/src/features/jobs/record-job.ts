import type { Job } from '@ordo/protocol';
import type { JobView } from '@ordo/protocol/panel';
import type { Kysely } from 'kysely';
import {
  findJobWithServer,
  insertJobIfAbsent,
  knownJobIds,
} from '../../db/repositories/jobs.repository';
import type { Database, NewJob } from '../../db/types';
import { NotFoundError } from '../../errors';
import type { JobHub } from './job-hub';
import { toJobView } from './job-view';
import type { Requester } from './deps';

/** A job as the agent reported it, as a mirror row. */
export function newJobRow(
  serverId: string,
  job: Job,
  requester: Requester | null,
  now: Date,
): NewJob {
  return {
    id: job.id,
    server_id: serverId,
    kind: job.kind,
    state: job.state,
    progress: job.progress,
    target: job.target,
    requested_by_user_id: requester?.userId ?? null,
    requested_by: requester?.email ?? job.requestedBy ?? null,
    error_code: job.error?.code ?? null,
    error_message: job.error?.message ?? null,
    created_at: job.createdAt,
    started_at: job.startedAt,
    ended_at: job.endedAt,
    updated_at: now,
  };
}

/**
 * Mirrors a job the agent just accepted (or one the control plane learns of later) and wakes
 * the follower for it. A job mirrored already is left as the follower keeps it.
 */
export async function recordJob(
  deps: { db: Kysely<Database>; jobHub?: JobHub | undefined; now?: () => Date },
  serverId: string,
  job: Job,
  requester: Requester | null,
): Promise<JobView> {
  await insertJobIfAbsent(deps.db, newJobRow(serverId, job, requester, deps.now?.() ?? new Date()));
  deps.jobHub?.recorded(job.id);
  const row = await findJobWithServer(deps.db, job.id);
  if (row === undefined) throw new NotFoundError('Server not found: it may have been deleted');
  return toJobView(row);
}

/** Mirrors the agent's jobs the control plane does not know yet (started elsewhere); how many. */
export async function importJobs(
  deps: { db: Kysely<Database>; jobHub?: JobHub | undefined; now?: () => Date },
  serverId: string,
  jobs: Job[],
): Promise<number> {
  const known = await knownJobIds(
    deps.db,
    jobs.map((job) => job.id),
  );
  const now = deps.now?.() ?? new Date();
  let imported = 0;
  for (const job of jobs) {
    if (known.has(job.id)) continue;
    if (await insertJobIfAbsent(deps.db, newJobRow(serverId, job, null, now))) {
      imported += 1;
      deps.jobHub?.recorded(job.id);
    }
  }
  return imported;
}
