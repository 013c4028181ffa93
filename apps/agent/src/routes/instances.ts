import type { InstanceList } from '@ordo/protocol';
import { Hono } from 'hono';
import type { AgentEnv } from '../app-env';
import { listInstances, type ListInstancesDeps } from '../instances/list-instances';

export function instanceRoutes(deps: ListInstancesDeps) {
  return new Hono<AgentEnv>().get('/v1/instances', async (c) => {
    const body: InstanceList = { instances: await listInstances(deps) };
    return c.json(body);
  });
}
