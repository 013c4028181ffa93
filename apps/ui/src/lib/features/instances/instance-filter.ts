import type { InstanceStatus } from '@ordo/protocol';
import type { InstanceView } from '@ordo/protocol/panel';

export const ALL = 'all';

export interface InstanceFilters {
  query: string;
  serverId: string;
  status: InstanceStatus | typeof ALL;
}

/** Above this many instances the page offers search and filters. */
export const FILTERS_FROM = 6;

type Filterable = Pick<
  InstanceView,
  'name' | 'url' | 'version' | 'database' | 'parent' | 'serverId' | 'status'
>;

export function noFilters(): InstanceFilters {
  return { query: '', serverId: ALL, status: ALL };
}

export function hasActiveFilters(filters: InstanceFilters): boolean {
  return filters.query.trim() !== '' || filters.serverId !== ALL || filters.status !== ALL;
}

/**
 * Keeps the instances on the chosen server, in the chosen status, whose name, URL, version,
 * database or parent hold every word of the query.
 */
export function filterInstances<T extends Filterable>(
  instances: readonly T[],
  filters: InstanceFilters,
): T[] {
  const terms = filters.query.toLowerCase().split(/\s+/).filter(Boolean);
  return instances.filter((instance) => {
    if (filters.serverId !== ALL && instance.serverId !== filters.serverId) return false;
    if (filters.status !== ALL && instance.status !== filters.status) return false;
    const haystack = [
      instance.name,
      instance.url ?? '',
      instance.version,
      instance.database,
      instance.parent ?? '',
    ]
      .join(' ')
      .toLowerCase();
    return terms.every((term) => haystack.includes(term));
  });
}

/** How many instances are in each status, for the status filter's options. */
export function countByStatus(
  instances: readonly Pick<InstanceView, 'status'>[],
): Record<InstanceStatus, number> {
  const counts: Record<InstanceStatus, number> = {
    provisioning: 0,
    running: 0,
    stopped: 0,
    error: 0,
  };
  for (const instance of instances) counts[instance.status] += 1;
  return counts;
}
