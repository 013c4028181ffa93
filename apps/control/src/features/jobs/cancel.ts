import type { JobView } from '@ordo/protocol/panel';
import { findJobWithServer, updateFollowedJob } from '../../db/repositories/jobs.repository';
import { ConflictError } from '../../errors';
import { callServerAgent } from '../servers/call-agent';
import { abortControlJob } from './control-jobs';
import type { JobDeps } from './deps';
import { jobChanges } from './follow-job';
import { toJobView } from './job-view';
import { jobNotFound } from './stream-log';

/** Asks the agent to cancel the job; the follower mirrors how it ends. */
export async function cancelJob(deps: JobDeps, id: string): Promise<JobView> {
  const row = await findJobWithServer(deps.db, id);
  if (row === undefined) throw jobNotFound(id);
  if (row.runner === 'control') {
    // Run here, not on an agent: abort it where it runs; it rolls back and ends `cancelled`.
    if (!abortControlJob(id, 'Cancelled from the panel')) {
      throw new ConflictError(
        'This job is not running in this control process (it ended, or another control process runs it)',
      );
    }
    return toJobView(row);
  }
  const { job } = await callServerAgent(deps, row.server_id, (client) => client.cancelJob(id));
  if (await updateFollowedJob(deps.db, id, jobChanges(job, deps.now?.() ?? new Date()))) {
    deps.jobHub.changed(id);
  }
  const updated = await findJobWithServer(deps.db, id);
  return toJobView(updated ?? row);
}
