import type { AgentClient, Instance } from '@ordo/protocol';
import type { InstanceView } from '@ordo/protocol/panel';
import { instanceToRow, upsertInstances } from '../../db/repositories/instances.repository';
import type { JobDeps } from '../jobs/deps';
import { getInstanceView } from './list';

/** Stores the instance as the agent just reported it and answers its panel view. */
export async function mirrorInstance(
  deps: Pick<JobDeps, 'db' | 'now'>,
  serverId: string,
  instance: Instance,
): Promise<InstanceView> {
  await upsertInstances(deps.db, [instanceToRow(serverId, instance, deps.now?.() ?? new Date())]);
  return getInstanceView(deps, serverId, instance.name);
}

/** Re-reads one instance from its agent into the mirror. */
export async function refreshInstance(
  deps: Pick<JobDeps, 'db' | 'now'>,
  serverId: string,
  client: AgentClient,
  name: string,
): Promise<InstanceView> {
  return mirrorInstance(deps, serverId, await client.getInstance(name));
}
