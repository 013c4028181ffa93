import { CreateLoginLinkInput, InstanceName } from '@ordo/protocol';
import { Hono, type Context } from 'hono';
import type { AgentEnv } from '../app-env';
import { createLoginLink, listOdooUsers } from '../connect-as/connect-as';
import type { InstanceDeps } from '../instances/instance-deps';
import { jsonBody, parseInput } from './validate';

/** "Connect as": the instance's Odoo users, and single-use login links for one of them. */
export function loginLinkRoutes(deps: InstanceDeps) {
  const name = (c: Context<AgentEnv>) => parseInput(InstanceName, c.req.param('name'), 'name');

  return new Hono<AgentEnv>()
    .get('/v1/instances/:name/users', async (c) => c.json(await listOdooUsers(deps, name(c))))
    .post('/v1/instances/:name/login-links', async (c) => {
      const instance = name(c);
      const input = parseInput(CreateLoginLinkInput, await jsonBody(c), 'body');
      return c.json(await createLoginLink(deps, instance, input), 201);
    });
}
