import type { Kysely } from 'kysely';
import type { Database } from '../../db/types';
import { endSession } from './sessions';

export async function logout(deps: { db: Kysely<Database> }, token: string | null): Promise<void> {
  if (token !== null) await endSession(deps.db, token);
}
