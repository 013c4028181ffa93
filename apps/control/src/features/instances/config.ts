import type { InstanceConfig, InstanceConfigUpdate } from '@ordo/protocol';
import type { JobDeps } from '../jobs/deps';
import { callServerAgent } from '../servers/call-agent';
import { refreshInstance } from './mirror';

export function getInstanceConfig(
  deps: JobDeps,
  ref: { serverId: string; name: string },
): Promise<InstanceConfig> {
  return callServerAgent(deps, ref.serverId, (client) => client.getInstanceConfig(ref.name));
}

/** Applies the settings (the agent restarts the instance) and mirrors the instance afterwards. */
export function updateInstanceConfig(
  deps: JobDeps,
  ref: { serverId: string; name: string },
  settings: InstanceConfigUpdate,
): Promise<InstanceConfig> {
  return callServerAgent(deps, ref.serverId, async (client) => {
    const config = await client.updateInstanceConfig(ref.name, settings);
    deps.logger.info(
      { serverId: ref.serverId, instance: ref.name, keys: Object.keys(settings) },
      'instance configuration changed',
    );
    await refreshInstance(deps, ref.serverId, client, ref.name);
    return config;
  });
}
