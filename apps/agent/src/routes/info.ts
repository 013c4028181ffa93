import type { AgentInfo, RuntimeKind } from '@ordo/protocol';
import { Hono } from 'hono';
import type { AgentEnv } from '../app-env';
import { collectAgentInfo } from '../system/agent-info';

export interface InfoRouteDeps {
  version: string;
  runtime: RuntimeKind;
  startedAt: Date;
  now: () => Date;
  osReleasePath?: string;
}

export function infoRoutes(deps: InfoRouteDeps) {
  return new Hono<AgentEnv>().get('/v1/info', async (c) => {
    const info: AgentInfo = await collectAgentInfo({ ...deps, now: deps.now() });
    return c.json(info);
  });
}
