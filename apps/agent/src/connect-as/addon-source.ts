import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AgentError } from '../errors';

/** Ordo's Odoo module that serves `/ordo/connect/<token>` (apps/agent/odoo-addons). */
export const CONNECT_MODULE = 'ordo_connect';

/**
 * Where the agent's Odoo addons are: beside the bundle (`dist/odoo-addons`, copied there by
 * scripts/build-node-app.mjs and installed with it by install-agent.sh), or, when the agent
 * runs from its sources (tests), `apps/agent/odoo-addons`.
 */
function candidates(): string[] {
  const here = dirname(fileURLToPath(import.meta.url));
  return [join(here, 'odoo-addons'), join(here, '..', '..', 'odoo-addons')];
}

async function holdsModule(dir: string): Promise<boolean> {
  return stat(join(dir, CONNECT_MODULE, '__manifest__.py')).then(
    (info) => info.isFile(),
    () => false,
  );
}

/** The directory holding `ordo_connect/`; a 500 naming what to fix when there is none. */
export async function resolveOrdoAddonsDir(): Promise<string> {
  const dirs = candidates();
  for (const dir of dirs) {
    if (await holdsModule(dir)) return dir;
  }
  throw new AgentError(
    'internal',
    500,
    `Ordo's Odoo module ${CONNECT_MODULE} is missing from ${dirs.join(' and ')}: ` +
      'reinstall the agent (its build copies apps/agent/odoo-addons into dist/)',
  );
}
