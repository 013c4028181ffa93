import type { CreateBackupResult } from '@ordo/protocol/panel';
import type { JobDeps, Requester } from '../jobs/deps';
import { recordJob } from '../jobs/record-job';
import { callServerAgent } from '../servers/call-agent';

/**
 * Starts a `backup.create` job on the instance's agent, naming the user so the backup list can
 * say who made it, and mirrors the job like every other one (live log, progress, audit link).
 */
export async function createBackup(
  deps: JobDeps,
  ref: { serverId: string; name: string },
  requester: Requester,
): Promise<CreateBackupResult> {
  const { job } = await callServerAgent(deps, ref.serverId, (client) =>
    client.createBackup(ref.name, { requestedBy: requester.email }),
  );
  deps.logger.info(
    { serverId: ref.serverId, instance: ref.name, jobId: job.id, requestedBy: requester.email },
    'backup started',
  );
  return { job: await recordJob(deps, ref.serverId, job, requester) };
}
