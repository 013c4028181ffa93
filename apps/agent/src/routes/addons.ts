import { InstanceName } from '@ordo/protocol';
import { Hono } from 'hono';
import { installAddons } from '../addons/install-addons';
import type { AgentEnv } from '../app-env';
import type { InstanceDeps } from '../instances/instance-deps';
import type { RestoreLimits } from '../restore/start-restore';
import { parseInput } from './validate';

export function addonsRoutes(deps: InstanceDeps, limits: RestoreLimits) {
  return new Hono<AgentEnv>().post('/v1/instances/:name/addons', async (c) => {
    const name = parseInput(InstanceName, c.req.param('name'), 'name');
    return c.json(await installAddons(deps, limits, name, c.req.raw));
  });
}
