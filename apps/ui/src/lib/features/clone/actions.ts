import type { CloneInstanceResult, InstanceView } from '@ordo/protocol/panel';
import { api } from '../../api/trpc';
import { instancesStore } from '../instances/instances.svelte';

/**
 * Starts the clone of a production instance to a new staging instance; the staging instance
 * appears at once (nested under its production, `provisioning`). Errors are the caller's to show.
 */
export async function startClone(
  production: Pick<InstanceView, 'serverId' | 'name'>,
  stagingName: string,
): Promise<CloneInstanceResult> {
  const result = await api.instances.clone.mutate({
    serverId: production.serverId,
    name: production.name,
    stagingName,
  });
  instancesStore.replace(result.instance);
  return result;
}
