import type { Instance } from '@ordo/protocol';

type Row = Pick<Instance, 'name'> & { serverId: string; serverName: string };

export interface ServerGroup<T extends Row> {
  serverId: string;
  serverName: string;
  instances: T[];
}

/** Groups instances under their server, both sorted by name, as the Instances page lists them. */
export function groupByServer<T extends Row>(rows: readonly T[]): ServerGroup<T>[] {
  const groups = new Map<string, ServerGroup<T>>();
  for (const row of rows) {
    let group = groups.get(row.serverId);
    if (!group) {
      group = { serverId: row.serverId, serverName: row.serverName, instances: [] };
      groups.set(row.serverId, group);
    }
    group.instances.push(row);
  }
  const byName = (a: string, b: string) => a.localeCompare(b);
  return [...groups.values()]
    .map((group) => ({
      ...group,
      instances: group.instances.toSorted((a, b) => byName(a.name, b.name)),
    }))
    .sort((a, b) => byName(a.serverName, b.serverName));
}
