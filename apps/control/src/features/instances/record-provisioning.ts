import type { CreateInstanceAccepted } from '@ordo/protocol';
import type { CreateInstanceResult } from '@ordo/protocol/panel';
import { upsertInstanceSecrets } from '../../db/repositories/instance-secrets.repository';
import { insertJobIfAbsent } from '../../db/repositories/jobs.repository';
import { upsertInstances } from '../../db/repositories/instances.repository';
import type { JobDeps, Requester } from '../jobs/deps';
import { getJob } from '../jobs/list';
import { newJobRow } from '../jobs/record-job';
import { callServerAgent } from '../servers/call-agent';
import { getInstanceView } from './list';
import { refreshInstance } from './mirror';

/** What the control plane knows of an instance its agent has just started to create. */
export interface ProvisioningInstance {
  name: string;
  version: string;
  edition: string;
  type: 'production' | 'staging';
  parent: string | null;
}

/**
 * After the agent accepted a creation (or a clone), in one transaction: the instance appears as
 * `provisioning`, its two passwords are stored encrypted (the agent sends them this once and
 * keeps only hashes), and the job is mirrored for the follower. Then the agent's view of the
 * instance replaces the placeholder when it answers.
 */
export async function recordProvisioning(
  deps: JobDeps,
  serverId: string,
  instance: ProvisioningInstance,
  accepted: CreateInstanceAccepted,
  requester: Requester,
): Promise<CreateInstanceResult> {
  const { job } = accepted;
  const now = deps.now?.() ?? new Date();

  await deps.db.transaction().execute(async (trx) => {
    await upsertInstances(trx, [
      {
        server_id: serverId,
        ...instance,
        status: 'provisioning',
        status_reason: null,
        database: instance.name,
        http_port: null,
        url: null,
        synced_at: now,
      },
    ]);
    await upsertInstanceSecrets(trx, serverId, instance.name, [
      { kind: 'master', ciphertext: deps.secretBox.encrypt(accepted.masterPassword) },
      { kind: 'admin', ciphertext: deps.secretBox.encrypt(accepted.adminPassword) },
    ]);
    await insertJobIfAbsent(trx, newJobRow(serverId, job, requester, now));
  });
  deps.jobHub.recorded(job.id);
  // The agent has claimed ports by now; its view is better than the placeholder, when it answers.
  await callServerAgent(deps, serverId, (client) =>
    refreshInstance(deps, serverId, client, instance.name),
  ).catch((error: unknown) => {
    deps.logger.warn({ err: error, instance: instance.name }, 'cannot read the new instance back');
  });
  return {
    job: await getJob(deps, job.id),
    instance: await getInstanceView(deps, serverId, instance.name),
  };
}
