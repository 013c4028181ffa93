import type { z } from 'zod';
import type { CreateInstancePanelInput, CreateInstanceResult } from '@ordo/protocol/panel';
import type { JobDeps, Requester } from '../jobs/deps';
import { callServerAgent } from '../servers/call-agent';
import { assertQuotaLeft } from '../settings/instance-quota';
import { recordProvisioning } from './record-provisioning';

export type CreateInstanceData = z.output<typeof CreateInstancePanelInput>;

/**
 * Asks the agent to create the instance, then records it as `provisioning` with its passwords
 * and its creation job (see {@link recordProvisioning}).
 */
export async function createInstance(
  deps: JobDeps,
  input: CreateInstanceData,
  requester: Requester,
): Promise<CreateInstanceResult> {
  const { serverId, ...agentInput } = input;
  await assertQuotaLeft(deps.db);
  const accepted = await callServerAgent(deps, serverId, (client) =>
    client.createInstance(agentInput, { requestedBy: requester.email }),
  );
  deps.logger.info(
    { serverId, instance: input.name, jobId: accepted.job.id, requestedBy: requester.email },
    'instance creation started',
  );
  return recordProvisioning(
    deps,
    serverId,
    {
      name: input.name,
      version: input.version,
      edition: input.edition,
      type: input.type,
      parent: input.parent,
    },
    accepted,
    requester,
  );
}
