import type { Job, JobKind, JobState } from '@ordo/protocol';
import type { Logger } from 'pino';
import type { JobStore } from './job-store';

export interface JobFilter {
  state?: JobState | undefined;
  kind?: JobKind | undefined;
  target?: string | undefined;
  limit: number;
}

export interface ListJobsDeps {
  store: JobStore;
  logger: Logger;
  /** The live state of a job this process runs, fresher than its record on disk. */
  live: (id: string) => Job | undefined;
}

/**
 * Jobs matching `filter`, newest first. Records are read newest first and reading stops at
 * `limit`; an unreadable record is skipped with a warning rather than hiding every other job.
 */
export async function listJobs(deps: ListJobsDeps, filter: JobFilter): Promise<Job[]> {
  const jobs: Job[] = [];
  for (const id of await deps.store.ids()) {
    if (jobs.length >= filter.limit) break;
    let job = deps.live(id);
    if (job === undefined) {
      try {
        job = (await deps.store.read(id)) ?? undefined;
      } catch (error) {
        deps.logger.warn({ jobId: id, err: error }, 'skipping unreadable job record');
        continue;
      }
    }
    if (job === undefined || !matches(job, filter)) continue;
    jobs.push(job);
  }
  return jobs;
}

function matches(job: Job, filter: JobFilter): boolean {
  return (
    (filter.state === undefined || job.state === filter.state) &&
    (filter.kind === undefined || job.kind === filter.kind) &&
    (filter.target === undefined || job.target === filter.target)
  );
}
