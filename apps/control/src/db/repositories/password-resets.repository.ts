import type { Kysely } from 'kysely';
import type { Database } from '../types';

export async function insertResetToken(
  db: Kysely<Database>,
  token: { id: string; userId: string; createdBy: string | null; now: Date; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('password_reset_tokens')
    .values({
      id: token.id,
      user_id: token.userId,
      created_by: token.createdBy,
      created_at: token.now,
      expires_at: token.expiresAt,
    })
    .execute();
}

/** Spends a live token; the user id for the one call that did, else undefined. */
export async function useResetToken(
  db: Kysely<Database>,
  id: string,
  now: Date,
): Promise<string | undefined> {
  const row = await db
    .updateTable('password_reset_tokens')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('user_id')
    .executeTakeFirst();
  return row?.user_id;
}

/** Links that can no longer be used: housekeeping when new ones are made. */
export async function deleteDeadResetTokens(db: Kysely<Database>, now: Date): Promise<void> {
  await db
    .deleteFrom('password_reset_tokens')
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('used_at', 'is not', null)]))
    .execute();
}

/** Once a password changes, the other links sent for the old one stop working. */
export async function deleteUserResetTokens(db: Kysely<Database>, userId: string): Promise<void> {
  await db
    .deleteFrom('password_reset_tokens')
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .execute();
}
