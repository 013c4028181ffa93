import type { Instance, InstalledVersion } from '@ordo/protocol';

/** What the target agent has, as far as a move needs to know. */
export interface TargetState {
  versions: InstalledVersion[];
  instances: Pick<Instance, 'name'>[];
}

export type MovingInstance = Pick<Instance, 'name' | 'version' | 'edition' | 'type' | 'parent'>;

/**
 * Why the instance cannot move to the target, or null: its Odoo version (and Enterprise
 * modules) must be installed there, its name free there, and a staging instance's production
 * must be there already or move in the same migration (`movingWith`).
 */
export function targetProblem(
  targetName: string,
  state: TargetState,
  instance: MovingInstance,
  movingWith: ReadonlySet<string>,
): string | null {
  const version = state.versions.find((v) => v.version === instance.version);
  if (version === undefined) {
    return `Odoo ${instance.version} is not installed on ${targetName}: install it there first (needed by "${instance.name}")`;
  }
  if (instance.edition === 'enterprise' && version.edition !== 'enterprise') {
    return `Odoo ${instance.version} on ${targetName} has no Enterprise modules, which "${instance.name}" uses: add them there first`;
  }
  if (state.instances.some((other) => other.name === instance.name)) {
    return `An instance named "${instance.name}" already exists on ${targetName}`;
  }
  const parent = instance.parent;
  if (
    instance.type === 'staging' &&
    parent !== null &&
    !movingWith.has(parent) &&
    !state.instances.some((other) => other.name === parent)
  ) {
    return `Staging instance "${instance.name}" moves with its production "${parent}": select "${parent}" too, or migrate it first`;
  }
  return null;
}
