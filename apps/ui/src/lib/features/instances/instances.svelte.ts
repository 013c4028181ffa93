import type { InstanceView } from '@ordo/protocol/panel';
import { groupByServer } from './group-by-server';
import { filterInstances, noFilters } from './instance-filter';
import type { InstanceFilters } from './instance-filter';
import { nestStaging } from './instance-tree';

export type InstanceActivity = 'start' | 'stop' | 'restart';
type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

/** Identifies an instance across servers (names are unique per server only). */
export function instanceKey(instance: Pick<InstanceView, 'serverId' | 'name'>): string {
  return `${instance.serverId}/${instance.name}`;
}

/** The Instances page's data: every instance, the filters, and what each card is doing. */
class InstancesStore {
  instances = $state<InstanceView[]>([]);
  status = $state<LoadStatus>('idle');
  loadError = $state<string | null>(null);
  /** Set while background refreshes fail; the cards then show the last state received. */
  refreshError = $state<string | null>(null);
  filters = $state<InstanceFilters>(noFilters());
  activity = $state<Record<string, InstanceActivity | undefined>>({});

  readonly visible: InstanceView[] = $derived(filterInstances(this.instances, this.filters));
  readonly groups = $derived(
    groupByServer(this.visible).map((group) => ({ ...group, nodes: nestStaging(group.instances) })),
  );

  setActivity(instance: InstanceView, activity: InstanceActivity | undefined): void {
    this.activity[instanceKey(instance)] = activity;
  }

  /** Puts the answer of an action in place at once, before the next refresh. */
  replace(instance: InstanceView): void {
    const key = instanceKey(instance);
    const index = this.instances.findIndex((candidate) => instanceKey(candidate) === key);
    if (index === -1) this.instances.push(instance);
    else this.instances[index] = instance;
  }

  forget(instance: Pick<InstanceView, 'serverId' | 'name'>): void {
    const key = instanceKey(instance);
    this.instances = this.instances.filter((candidate) => instanceKey(candidate) !== key);
  }
}

export const instancesStore = new InstancesStore();
