import { z } from 'zod';

export const ServerName = z
  .string()
  .trim()
  .min(1, 'Enter a server name')
  .max(63, 'Server name is at most 63 characters')
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
    'Server name may hold letters, digits, ".", "-" and "_", starting with a letter or digit',
  );

export const AgentUrl = z
  .string()
  .trim()
  .min(1, 'Enter the agent URL')
  .refine((value) => {
    try {
      const url = new URL(value);
      return (
        (url.protocol === 'http:' || url.protocol === 'https:') &&
        url.hostname !== '' &&
        !url.username &&
        !url.password &&
        !url.search &&
        !url.hash
      );
    } catch {
      return false;
    }
  }, 'Agent URL must be an http:// or https:// address such as http://10.0.0.5:8070, without credentials, query or fragment')
  .transform((value) => value.replace(/\/+$/, ''));

export const ServerDomain = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .refine(
    (v) =>
      v === '' ||
      /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/.test(
        v,
      ),
    'Domain must be a host name such as odoo.example.com',
  );

export const AgentToken = z
  .string()
  .trim()
  .min(16, 'The agent token is at least 16 characters')
  .max(512);

export const ServerCreateInput = z.object({
  name: ServerName,
  agentUrl: AgentUrl,
  domain: ServerDomain.default(''),
  token: AgentToken,
});
export type ServerCreateInput = z.input<typeof ServerCreateInput>;

/** Leave `token` out, or blank, to keep the stored one. */
export const ServerUpdateInput = z.object({
  id: z.uuid(),
  name: ServerName.optional(),
  agentUrl: AgentUrl.optional(),
  domain: ServerDomain.optional(),
  token: z
    .string()
    .trim()
    .max(512)
    .refine((v) => v === '' || v.length >= 16, 'The agent token is at least 16 characters')
    .transform((v) => (v === '' ? undefined : v))
    .optional(),
});
export type ServerUpdateInput = z.input<typeof ServerUpdateInput>;

export const ServerIdInput = z.object({ id: z.uuid() });

export const ServerStatus = z.enum(['active', 'inactive', 'unknown']);
export type ServerStatus = z.infer<typeof ServerStatus>;

export const PingFailure = z.enum([
  'unreachable',
  'timeout',
  'unauthorized',
  'not_ordo_agent',
  'bad_response',
  'agent_error',
]);
export type PingFailure = z.infer<typeof PingFailure>;

/** The answer of `servers.ping`. */
export const PingResult = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    agentVersion: z.string(),
    latencyMs: z.number(),
    hostname: z.string(),
    runtime: z.string(),
  }),
  z.object({
    ok: z.literal(false),
    failure: PingFailure,
    message: z.string(),
    latencyMs: z.number(),
  }),
]);
export type PingResult = z.infer<typeof PingResult>;

/** A managed server as the panel lists it. The token itself never leaves the control plane. */
export const ServerView = z.object({
  id: z.string(),
  name: z.string(),
  agentUrl: z.string(),
  domain: z.string(),
  /** First and last characters of the token, e.g. `3f9a…c41d`. */
  tokenPreview: z.string(),
  status: ServerStatus,
  instanceCount: z.number().int().nonnegative(),
  agentVersion: z.string().nullable(),
  runtime: z.string().nullable(),
  /** ISO timestamps. */
  lastSeenAt: z.string().nullable(),
  lastError: z.string().nullable(),
  latencyMs: z.number().nullable(),
  createdAt: z.string(),
});
export type ServerView = z.infer<typeof ServerView>;

export const SyncResult = z.object({
  instanceCount: z.number().int().nonnegative(),
  added: z.number().int().nonnegative(),
  removed: z.number().int().nonnegative(),
});
export type SyncResult = z.infer<typeof SyncResult>;
