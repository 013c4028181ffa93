import { z } from 'zod';

export const RuntimeKind = z.enum(['native', 'docker']);
export type RuntimeKind = z.infer<typeof RuntimeKind>;

/** `GET /v1/info`: what the agent knows about itself and its machine. */
export const AgentInfo = z.object({
  version: z.string(),
  hostname: z.string(),
  os: z.object({
    platform: z.string(),
    release: z.string(),
    /** Pretty name from /etc/os-release when there is one, e.g. "Debian GNU/Linux 12 (bookworm)". */
    distribution: z.string().nullable(),
    arch: z.string(),
  }),
  cpus: z.number().int().positive(),
  memory: z.object({
    totalBytes: z.number().int().nonnegative(),
    freeBytes: z.number().int().nonnegative(),
  }),
  runtime: RuntimeKind,
  /** Seconds since the machine booted. */
  uptimeSeconds: z.number().nonnegative(),
  /** Seconds since this agent process started. */
  agentUptimeSeconds: z.number().nonnegative(),
});
export type AgentInfo = z.infer<typeof AgentInfo>;
