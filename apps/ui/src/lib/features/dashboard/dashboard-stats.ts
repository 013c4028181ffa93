import type { InstanceStatus } from '@ordo/protocol';
import type { ServerStatus } from '@ordo/protocol/panel';

export interface DashboardStats {
  servers: number;
  activeServers: number;
  instances: number;
  running: number;
  stopped: number;
  failing: number;
  provisioning: number;
}

export function computeStats(
  servers: readonly { status: ServerStatus }[],
  instances: readonly { status: InstanceStatus }[],
): DashboardStats {
  const count = <T>(items: readonly T[], keep: (item: T) => boolean) => items.filter(keep).length;
  return {
    servers: servers.length,
    activeServers: count(servers, (server) => server.status === 'active'),
    instances: instances.length,
    running: count(instances, (instance) => instance.status === 'running'),
    stopped: count(instances, (instance) => instance.status === 'stopped'),
    failing: count(instances, (instance) => instance.status === 'error'),
    provisioning: count(instances, (instance) => instance.status === 'provisioning'),
  };
}

/** "3 instances on 2 servers", or "3 of 10 instances (30 %) on 2 servers" under a quota. */
export function describeUsage(stats: DashboardStats, maxInstances: number | null = null): string {
  const servers = `${stats.servers} server${stats.servers === 1 ? '' : 's'}`;
  if (maxInstances === null) {
    return `${stats.instances} instance${stats.instances === 1 ? '' : 's'} on ${servers}`;
  }
  const percent = Math.round((stats.instances / maxInstances) * 100);
  return `${stats.instances} of ${maxInstances} instances (${percent} %) on ${servers}`;
}
