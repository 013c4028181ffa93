import { createHash, randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  replaceRecoveryCodeHashes,
  useRecoveryCodeHash,
} from '../../db/repositories/mfa.repository';
import type { Database } from '../../db/types';

export const RECOVERY_CODE_COUNT = 10;
// No look-alikes (0/o, 1/l/i): the codes are often copied from paper.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const HALF = 5;

/** `abcde-fghjk`: 10 characters from 31, about 49 bits each. */
export function generateRecoveryCode(): string {
  let code = '';
  for (let i = 0; i < HALF * 2; i += 1) {
    if (i === HALF) code += '-';
    code += ALPHABET[randomInt(ALPHABET.length)] ?? '';
  }
  return code;
}

export function normalizeRecoveryCode(input: string): string {
  return input.toLowerCase().replace(/[\s-]/g, '');
}

export function looksLikeRecoveryCode(input: string): boolean {
  return new RegExp(`^[${ALPHABET}]{${HALF * 2}}$`).test(normalizeRecoveryCode(input));
}

/** Random 49-bit codes need no slow hash: sha256 keeps a leaked table from being replayed. */
export function hashRecoveryCode(input: string): string {
  return createHash('sha256').update(normalizeRecoveryCode(input)).digest('hex');
}

/** Replaces the user's codes with 10 new ones; the plain codes exist only in this answer. */
export async function issueRecoveryCodes(
  db: Kysely<Database>,
  userId: string,
  now: Date,
): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, generateRecoveryCode);
  await replaceRecoveryCodeHashes(db, userId, codes.map(hashRecoveryCode), now);
  return codes;
}

/** Spends one recovery code; false when it is unknown or was used before. */
export function consumeRecoveryCode(
  db: Kysely<Database>,
  userId: string,
  input: string,
  now: Date,
): Promise<boolean> {
  return useRecoveryCodeHash(db, userId, hashRecoveryCode(input), now);
}
