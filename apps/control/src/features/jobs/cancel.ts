import type { JobView } from '@ordo/protocol/panel';
import { findJobWithServer, updateFollowedJob } from '../../db/repositories/jobs.repository';
import { callServerAgent } from '../servers/call-agent';
import type { JobDeps } from './deps';
import { jobChanges } from './follow-job';
import { toJobView } from './job-view';
import { jobNotFound } from './stream-log';

/** Asks the agent to cancel the job; the follower mirrors how it ends. */
export async function cancelJob(deps: JobDeps, id: string): Promise<JobView> {
  const row = await findJobWithServer(deps.db, id);
  if (row === undefined) throw jobNotFound(id);
  const { job } = await callServerAgent(deps, row.server_id, (client) => client.cancelJob(id));
  if (await updateFollowedJob(deps.db, id, jobChanges(job, deps.now?.() ?? new Date()))) {
    deps.jobHub.changed(id);
  }
  const updated = await findJobWithServer(deps.db, id);
  return toJobView(updated ?? row);
}
