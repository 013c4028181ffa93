import type { z } from 'zod';
import type { CreateInstancePanelInput, CreateInstanceResult } from '@ordo/protocol/panel';
import { upsertInstanceSecrets } from '../../db/repositories/instance-secrets.repository';
import { insertJobIfAbsent } from '../../db/repositories/jobs.repository';
import { upsertInstances } from '../../db/repositories/instances.repository';
import type { JobDeps, Requester } from '../jobs/deps';
import { getJob } from '../jobs/list';
import { newJobRow } from '../jobs/record-job';
import { callServerAgent } from '../servers/call-agent';
import { assertQuotaLeft } from '../settings/instance-quota';
import { getInstanceView } from './list';
import { refreshInstance } from './mirror';

export type CreateInstanceData = z.output<typeof CreateInstancePanelInput>;

/**
 * Asks the agent to create the instance, then in one transaction: the instance appears as
 * `provisioning`, its two passwords are stored encrypted (the agent sends them this once and
 * keeps only hashes), and the creation job is mirrored for the follower.
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
  const { job } = accepted;
  const now = deps.now?.() ?? new Date();

  await deps.db.transaction().execute(async (trx) => {
    await upsertInstances(trx, [
      {
        server_id: serverId,
        name: input.name,
        version: input.version,
        edition: input.edition,
        type: input.type,
        parent: input.parent,
        status: 'provisioning',
        status_reason: null,
        database: input.name,
        http_port: null,
        url: null,
        synced_at: now,
      },
    ]);
    await upsertInstanceSecrets(trx, serverId, input.name, [
      { kind: 'master', ciphertext: deps.secretBox.encrypt(accepted.masterPassword) },
      { kind: 'admin', ciphertext: deps.secretBox.encrypt(accepted.adminPassword) },
    ]);
    await insertJobIfAbsent(trx, newJobRow(serverId, job, requester, now));
  });
  deps.jobHub.recorded(job.id);
  deps.logger.info(
    { serverId, instance: input.name, jobId: job.id, requestedBy: requester.email },
    'instance creation started',
  );
  // The agent has claimed ports by now; its view is better than the placeholder, when it answers.
  await callServerAgent(deps, serverId, (client) =>
    refreshInstance(deps, serverId, client, input.name),
  ).catch((error: unknown) => {
    deps.logger.warn({ err: error, instance: input.name }, 'cannot read the new instance back');
  });
  return {
    job: await getJob(deps, job.id),
    instance: await getInstanceView(deps, serverId, input.name),
  };
}
