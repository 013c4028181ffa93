import type { Environment } from '../config';

/**
 * The environment for programs the agent runs: the agent's own, minus its settings. Children
 * (git, pip, Odoo) have no use for them, and ORDO_AGENT_TOKEN must not leak into them.
 */
export function childEnvironment(
  env: Environment,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && !name.startsWith('ORDO_')) result[name] = value;
  }
  return { ...result, ...extra };
}
