import type { z } from 'zod';
import type { JobListInput, JobView } from '@ordo/protocol/panel';
import { findJobWithServer, listJobsWithServer } from '../../db/repositories/jobs.repository';
import type { JobDeps } from './deps';
import { toJobView } from './job-view';
import { jobNotFound } from './stream-log';

export type JobListFilter = z.output<typeof JobListInput>;

/** Mirrored jobs, newest first. */
export async function listJobs(
  deps: Pick<JobDeps, 'db'>,
  filter: JobListFilter,
): Promise<JobView[]> {
  const rows = await listJobsWithServer(deps.db, {
    serverId: filter.serverId,
    state: filter.state,
    kind: filter.kind,
    search: filter.search,
    limit: filter.limit,
  });
  return rows.map(toJobView);
}

/** Unfinished jobs of one kind on one server (e.g. version installs, for live progress). */
export async function listActiveJobs(
  deps: Pick<JobDeps, 'db'>,
  filter: { serverId?: string; kind: string; target?: string },
): Promise<JobView[]> {
  const rows = await listJobsWithServer(deps.db, { ...filter, unfinished: true, limit: 100 });
  return rows.map(toJobView);
}

export async function getJob(deps: Pick<JobDeps, 'db'>, id: string): Promise<JobView> {
  const row = await findJobWithServer(deps.db, id);
  if (row === undefined) throw jobNotFound(id);
  return toJobView(row);
}
