import type { InstanceView } from '@ordo/protocol/panel';

/** Longest instance name (the protocol's InstanceName: a PostgreSQL identifier's 63 bytes). */
const MAX_NAME = 63;
const SUFFIX = '-staging';

/**
 * A free name to offer for the staging copy of `production`: `<name>-staging`, then
 * `<name>-staging-2`, … among the names the server has, cut to fit 63 characters.
 */
export function suggestStagingName(production: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  for (let n = 1; ; n += 1) {
    const suffix = n === 1 ? SUFFIX : `${SUFFIX}-${n}`;
    const name = `${production.slice(0, MAX_NAME - suffix.length)}${suffix}`;
    if (!used.has(name)) return name;
  }
}

/** The names taken on the instance's server, as the panel last saw them. */
export function namesOnServer(instances: InstanceView[], serverId: string): string[] {
  return instances.filter((i) => i.serverId === serverId).map((i) => i.name);
}

/** Whether the panel offers "Clone to staging" for this instance. */
export function canBeCloned(instance: Pick<InstanceView, 'type' | 'status'>): boolean {
  return instance.type === 'production' && instance.status !== 'provisioning';
}
