import type { InstanceView } from '@ordo/protocol/panel';
import type { JobDeps } from '../jobs/deps';
import { callServerAgent } from '../servers/call-agent';
import { mirrorInstance } from './mirror';

export type InstanceAction = 'start' | 'stop' | 'restart';

/** Starts, stops or restarts the instance on its agent and mirrors how it is afterwards. */
export async function runInstanceAction(
  deps: JobDeps,
  ref: { serverId: string; name: string },
  action: InstanceAction,
): Promise<InstanceView> {
  const { instance } = await callServerAgent(deps, ref.serverId, (client) => {
    switch (action) {
      case 'start':
        return client.startInstance(ref.name);
      case 'stop':
        return client.stopInstance(ref.name);
      case 'restart':
        return client.restartInstance(ref.name);
    }
  });
  deps.logger.info({ serverId: ref.serverId, instance: ref.name, action }, 'instance action');
  return mirrorInstance(deps, ref.serverId, instance);
}
