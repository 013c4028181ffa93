import type { Kysely } from 'kysely';
import type { MfaChallengeRow, NewMfaChallenge } from '../account-types';
import type { Database } from '../types';

export async function insertChallenge(db: Kysely<Database>, row: NewMfaChallenge): Promise<void> {
  await db.insertInto('mfa_challenges').values(row).execute();
}

export function findChallenge(
  db: Kysely<Database>,
  id: string,
): Promise<MfaChallengeRow | undefined> {
  return db.selectFrom('mfa_challenges').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Counts one try before the code is even looked at, so parallel guesses cannot outrun the
 * limit; returns the tries used, or null when none was left.
 */
export async function spendChallengeAttempt(
  db: Kysely<Database>,
  id: string,
  maxAttempts: number,
): Promise<number | null> {
  const row = await db
    .updateTable('mfa_challenges')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .where('attempts', '<', maxAttempts)
    .returning('attempts')
    .executeTakeFirst();
  return row?.attempts ?? null;
}

export async function setChallengeCode(
  db: Kysely<Database>,
  id: string,
  code: { hash: string; sentAt: Date },
): Promise<void> {
  await db
    .updateTable('mfa_challenges')
    .set({ code_hash: code.hash, code_sent_at: code.sentAt })
    .where('id', '=', id)
    .execute();
}

/** True when this call removed it: a challenge is spent by exactly one successful answer. */
export async function deleteChallenge(db: Kysely<Database>, id: string): Promise<boolean> {
  const result = await db.deleteFrom('mfa_challenges').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function deleteUserChallenges(db: Kysely<Database>, userId: string): Promise<void> {
  await db.deleteFrom('mfa_challenges').where('user_id', '=', userId).execute();
}

export async function deleteExpiredChallenges(db: Kysely<Database>, now: Date): Promise<void> {
  await db.deleteFrom('mfa_challenges').where('expires_at', '<=', now).execute();
}

export async function replaceRecoveryCodeHashes(
  db: Kysely<Database>,
  userId: string,
  hashes: string[],
  now: Date,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('mfa_recovery_codes').where('user_id', '=', userId).execute();
    if (hashes.length === 0) return;
    await trx
      .insertInto('mfa_recovery_codes')
      .values(hashes.map((code_hash) => ({ user_id: userId, code_hash, created_at: now })))
      .execute();
  });
}

/** Marks the code used; true only for the one call that found it unused. */
export async function useRecoveryCodeHash(
  db: Kysely<Database>,
  userId: string,
  hash: string,
  now: Date,
): Promise<boolean> {
  const row = await db
    .updateTable('mfa_recovery_codes')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('code_hash', '=', hash)
    .where('used_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function countUnusedRecoveryCodes(
  db: Kysely<Database>,
  userId: string,
): Promise<number> {
  const row = await db
    .selectFrom('mfa_recovery_codes')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Records the TOTP time step just accepted, only if it is later than the last one: the one
 * place that makes a code single-use, even for two requests racing with the same code.
 */
export async function advanceTotpStep(
  db: Kysely<Database>,
  userId: string,
  step: number,
): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where((eb) =>
      eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', String(step))]),
    )
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function setPendingTotp(
  db: Kysely<Database>,
  userId: string,
  pending: { ciphertext: string; at: Date },
): Promise<void> {
  await db
    .updateTable('users')
    .set({ totp_pending_ciphertext: pending.ciphertext, totp_pending_created_at: pending.at })
    .where('id', '=', userId)
    .execute();
}

export async function enableMfa(
  db: Kysely<Database>,
  userId: string,
  mfa:
    | { method: 'totp'; secretCiphertext: string; lastStep: number; at: Date }
    | { method: 'email'; at: Date },
): Promise<void> {
  await db
    .updateTable('users')
    .set({
      mfa_method: mfa.method,
      totp_secret_ciphertext: mfa.method === 'totp' ? mfa.secretCiphertext : null,
      totp_last_step: mfa.method === 'totp' ? mfa.lastStep : null,
      totp_pending_ciphertext: null,
      totp_pending_created_at: null,
      mfa_enabled_at: mfa.at,
      updated_at: mfa.at,
    })
    .where('id', '=', userId)
    .execute();
}

/** Turns every second factor of the user off: method, secrets, recovery codes, challenges. */
export async function clearMfa(db: Kysely<Database>, userId: string, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({
        mfa_method: null,
        totp_secret_ciphertext: null,
        totp_pending_ciphertext: null,
        totp_pending_created_at: null,
        totp_last_step: null,
        mfa_enabled_at: null,
        updated_at: now,
      })
      .where('id', '=', userId)
      .execute();
    await trx.deleteFrom('mfa_recovery_codes').where('user_id', '=', userId).execute();
    await trx.deleteFrom('mfa_challenges').where('user_id', '=', userId).execute();
  });
}
