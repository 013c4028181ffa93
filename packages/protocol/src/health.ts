import { z } from 'zod';

/** The one value every Ordo agent puts in `service`, so a client can tell it from any other HTTP server. */
export const AGENT_SERVICE_NAME = 'ordo-agent';

/** `GET /v1/health`, unauthenticated. */
export const AgentHealth = z.object({
  ok: z.boolean(),
  service: z.literal(AGENT_SERVICE_NAME),
  version: z.string(),
});
export type AgentHealth = z.infer<typeof AgentHealth>;
