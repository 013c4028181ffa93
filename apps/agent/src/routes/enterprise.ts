import type { JobAccepted } from '@ordo/protocol';
import { Hono } from 'hono';
import type { AgentEnv } from '../app-env';
import {
  startEnterpriseUpgrade,
  type StartEnterpriseUpgradeDeps,
} from '../versions/start-enterprise-upgrade';
import { requestedBy } from './requested-by';

/** `POST /v1/versions/:version/enterprise`: adds the Enterprise modules (a job). */
export function enterpriseRoutes(deps: StartEnterpriseUpgradeDeps) {
  return new Hono<AgentEnv>().post('/v1/versions/:version/enterprise', async (c) => {
    const job = await startEnterpriseUpgrade(deps, c.req.param('version'), requestedBy(c));
    const body: JobAccepted = { job };
    return c.json(body, 202);
  });
}
