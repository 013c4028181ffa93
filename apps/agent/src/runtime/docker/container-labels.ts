import type { RuntimeInstance } from '../runtime';

/** Every container the agent creates has it; the agent never touches one without it. */
export const MANAGED_LABEL = 'ordo.managed';
export const INSTANCE_LABEL = 'ordo.instance';
/** Two agents (data roots) on one engine never adopt each other's containers. */
export const ROOT_LABEL = 'ordo.agent-root';
export const VERSION_LABEL = 'ordo.version';

export function containerName(instance: string): string {
  return `ordo-${instance}`;
}

export function containerLabels(root: string, instance: RuntimeInstance): Record<string, string> {
  return {
    [MANAGED_LABEL]: 'true',
    [INSTANCE_LABEL]: instance.name,
    [ROOT_LABEL]: root,
    [VERSION_LABEL]: instance.version,
  };
}

/** The engine's label filter for the containers of `instance` (or all) under `root`. */
export function labelFilter(root: string, instance?: string): { label: string[] } {
  return {
    label: [
      `${MANAGED_LABEL}=true`,
      `${ROOT_LABEL}=${root}`,
      ...(instance === undefined ? [] : [`${INSTANCE_LABEL}=${instance}`]),
    ],
  };
}

/** Whether labels (as the engine reports them) are those of `instance` under `root`. */
export function isOurs(
  labels: Readonly<Record<string, string>> | null | undefined,
  root: string,
  instance: string,
): boolean {
  return (
    labels?.[MANAGED_LABEL] === 'true' &&
    labels[ROOT_LABEL] === root &&
    labels[INSTANCE_LABEL] === instance
  );
}
