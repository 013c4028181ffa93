import type { z } from 'zod';
import type { InstallVersionPanelInput, JobView } from '@ordo/protocol/panel';
import type { JobDeps, Requester } from '../jobs/deps';
import { recordJob } from '../jobs/record-job';
import { callServerAgent } from '../servers/call-agent';

export type InstallVersionData = z.output<typeof InstallVersionPanelInput>;

/** Starts the install on the agent and mirrors its job, which the follower then follows. */
export async function installVersion(
  deps: JobDeps,
  input: InstallVersionData,
  requester: Requester,
): Promise<JobView> {
  const { serverId, ...agentInput } = input;
  const { job } = await callServerAgent(deps, serverId, (client) =>
    client.installVersion(agentInput, { requestedBy: requester.email }),
  );
  deps.logger.info(
    { serverId, version: input.version, jobId: job.id, requestedBy: requester.email },
    'version install started',
  );
  return recordJob(deps, serverId, job, requester);
}
