import type { RequestIdVariables } from 'hono/request-id';

/** Hono environment of the agent app: what middleware put on the context. */
export interface AgentEnv {
  Variables: RequestIdVariables;
}
