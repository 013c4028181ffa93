import type pg from 'pg';
import { AgentError } from '../errors';
import type { InstanceDeps } from '../instances/instance-deps';
import type { InstanceRecord } from '../instances/instance-record';
import { reason, unreachable, withPg } from '../postgres/pg-target';

/** SQLSTATEs of "this is not an Odoo database (yet)": no such table or column. */
const NOT_ODOO = new Set(['42P01', '42703']);

/** The SQLSTATE of a PostgreSQL error; socket errors (ECONNREFUSED…) have none. */
function sqlState(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const { code } = error;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * Runs `work` on the instance's database as the agent's PostgreSQL role (Odoo's own). A server
 * that does not answer is a 503; a missing database, or one without Odoo's tables, a 409.
 */
export async function withInstanceDb<T>(
  deps: Pick<InstanceDeps, 'pg'>,
  record: InstanceRecord,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  try {
    return await withPg(deps.pg, work, record.database);
  } catch (error) {
    if (error instanceof AgentError) throw error;
    const state = sqlState(error);
    if (state === undefined || state.startsWith('08')) throw unreachable(deps.pg, error);
    if (state === '3D000') {
      throw new AgentError(
        'conflict',
        409,
        `The database ${record.database} of "${record.name}" does not exist`,
        { cause: error },
      );
    }
    if (NOT_ODOO.has(state)) {
      throw new AgentError(
        'conflict',
        409,
        `The database ${record.database} of "${record.name}" has no Odoo users table: ${reason(error)}`,
        { cause: error },
      );
    }
    throw error;
  }
}
