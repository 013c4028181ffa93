import {
  CreateInstanceInput,
  InstanceConfigUpdate,
  InstanceLogsQuery,
  InstanceName,
  type CreateInstanceAccepted,
  type InstanceDeleted,
  type InstanceList,
} from '@ordo/protocol';
import { Hono, type Context } from 'hono';
import type { AgentEnv } from '../app-env';
import { deleteInstance } from '../instances/delete-instance';
import { runInstanceAction, type InstanceAction } from '../instances/instance-actions';
import { getInstanceConfig, updateInstanceConfig } from '../instances/instance-config';
import type { InstanceDeps } from '../instances/instance-deps';
import { instanceDetail } from '../instances/instance-detail';
import { instanceLogs } from '../instances/instance-logs';
import { listInstances } from '../instances/list-instances';
import { startInstanceCreate } from '../instances/start-create';
import { requestedBy } from './requested-by';
import { jsonBody, parseInput } from './validate';

const ACTIONS: readonly InstanceAction[] = ['start', 'stop', 'restart'];

export function instanceRoutes(deps: InstanceDeps) {
  const name = (c: Context<AgentEnv>) => parseInput(InstanceName, c.req.param('name'), 'name');

  const routes = new Hono<AgentEnv>()
    .get('/v1/instances', async (c) => {
      const body: InstanceList = { instances: await listInstances(deps) };
      return c.json(body);
    })
    .post('/v1/instances', async (c) => {
      const input = parseInput(CreateInstanceInput, await jsonBody(c), 'body');
      const body: CreateInstanceAccepted = await startInstanceCreate(deps, input, requestedBy(c));
      return c.json(body, 202);
    })
    .get('/v1/instances/:name', async (c) => c.json(await instanceDetail(deps, name(c))))
    .delete('/v1/instances/:name', async (c) => {
      await deleteInstance(deps, name(c));
      const body: InstanceDeleted = { ok: true };
      return c.json(body);
    })
    .get('/v1/instances/:name/config', async (c) => c.json(await getInstanceConfig(deps, name(c))))
    .put('/v1/instances/:name/config', async (c) => {
      const instance = name(c);
      const update = parseInput(InstanceConfigUpdate, await jsonBody(c), 'body');
      return c.json(await updateInstanceConfig(deps, instance, update));
    })
    .get('/v1/instances/:name/logs', async (c) => {
      const instance = name(c);
      const query = parseInput(InstanceLogsQuery, c.req.query(), 'query');
      return c.json(await instanceLogs(deps, instance, query));
    });

  for (const action of ACTIONS) {
    routes.post(`/v1/instances/:name/${action}`, async (c) =>
      c.json(await runInstanceAction(deps, name(c), action)),
    );
  }
  return routes;
}
