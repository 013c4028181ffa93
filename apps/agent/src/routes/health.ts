import { AGENT_SERVICE_NAME, type AgentHealth } from '@ordo/protocol';
import { Hono } from 'hono';
import type { AgentEnv } from '../app-env';

export function healthRoutes(deps: { version: string }) {
  return new Hono<AgentEnv>().get('/v1/health', (c) =>
    c.json({ ok: true, service: AGENT_SERVICE_NAME, version: deps.version } satisfies AgentHealth),
  );
}
