import type { Kysely } from 'kysely';
import type { Database } from '../types';

/** Failure times for one key since `since`, oldest first. */
export async function listFailuresSince(
  db: Kysely<Database>,
  key: string,
  since: Date,
): Promise<Date[]> {
  const rows = await db
    .selectFrom('login_failures')
    .select('failed_at')
    .where('key', '=', key)
    .where('failed_at', '>', since)
    .orderBy('failed_at', 'asc')
    .execute();
  return rows.map((row) => row.failed_at);
}

export async function insertFailures(
  db: Kysely<Database>,
  keys: string[],
  at: Date,
): Promise<void> {
  if (keys.length === 0) return;
  await db
    .insertInto('login_failures')
    .values(keys.map((key) => ({ key, failed_at: at })))
    .execute();
}

export async function deleteFailuresForKey(db: Kysely<Database>, key: string): Promise<void> {
  await db.deleteFrom('login_failures').where('key', '=', key).execute();
}

export async function deleteFailuresBefore(db: Kysely<Database>, before: Date): Promise<void> {
  await db.deleteFrom('login_failures').where('failed_at', '<=', before).execute();
}
