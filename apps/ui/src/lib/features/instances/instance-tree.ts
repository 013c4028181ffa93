import type { Instance } from '@ordo/protocol';

type Nestable = Pick<Instance, 'name' | 'type' | 'parent'>;

/** A card on the Instances page: an instance and the staging copies nested under it. */
export interface InstanceNode<T extends Nestable> {
  instance: T;
  staging: T[];
}

/**
 * Nests each staging instance under its production parent, both levels sorted by name. A
 * staging instance whose parent is not in the list (deleted, or filtered out) stands alone.
 */
export function nestStaging<T extends Nestable>(instances: readonly T[]): InstanceNode<T>[] {
  const byName = (a: T, b: T) => a.name.localeCompare(b.name);
  const sorted = instances.toSorted(byName);
  const parents = new Set(
    sorted.filter((instance) => instance.type === 'production').map((instance) => instance.name),
  );
  const isNested = (instance: T) =>
    instance.type === 'staging' && instance.parent !== null && parents.has(instance.parent);

  return sorted
    .filter((instance) => !isNested(instance))
    .map((instance) => ({
      instance,
      staging:
        instance.type === 'production'
          ? sorted.filter((child) => isNested(child) && child.parent === instance.name)
          : [],
    }));
}
