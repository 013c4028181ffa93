import type { Context } from 'hono';
import type { z } from 'zod';
import { AgentError } from '../errors';

/**
 * Parses request input with a protocol schema; a mismatch is a 400 naming each bad field, e.g.
 * `version: Odoo 13.0 is not supported (supported: 14.0, …)`.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const message = parsed.error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : what}: ${issue.message}`)
    .join('; ');
  throw new AgentError('bad_request', 400, message);
}

/** The JSON body; 400 when it is missing or not JSON. */
export async function jsonBody(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw new AgentError('bad_request', 400, 'The request body must be a JSON object');
  }
}
