import { REQUESTED_BY_HEADER } from '@ordo/protocol';
import type { Context } from 'hono';

/** Who the control plane says asked for a job, for the job record; blank means unknown. */
export function requestedBy(c: Context): string | null {
  const value = c.req.header(REQUESTED_BY_HEADER)?.trim() ?? '';
  return value === '' ? null : value.slice(0, 200);
}
