import type { z } from 'zod';
import type { JobView, UpgradeEnterprisePanelInput } from '@ordo/protocol/panel';
import type { JobDeps, Requester } from '../jobs/deps';
import { recordJob } from '../jobs/record-job';
import { callServerAgent } from '../servers/call-agent';

export type UpgradeEnterpriseData = z.output<typeof UpgradeEnterprisePanelInput>;

/** Starts the Enterprise upgrade on the agent and mirrors its job, as version installs are. */
export async function upgradeEnterprise(
  deps: JobDeps,
  input: UpgradeEnterpriseData,
  requester: Requester,
): Promise<JobView> {
  const { job } = await callServerAgent(deps, input.serverId, (client) =>
    client.upgradeEnterprise(input.version, { requestedBy: requester.email }),
  );
  deps.logger.info(
    {
      serverId: input.serverId,
      version: input.version,
      jobId: job.id,
      requestedBy: requester.email,
    },
    'enterprise upgrade started',
  );
  return recordJob(deps, input.serverId, job, requester);
}
