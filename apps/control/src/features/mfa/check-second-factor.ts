import type { Kysely } from 'kysely';
import type { SecretBox } from '../../crypto/secret-box';
import type { MfaChallengeRow } from '../../db/account-types';
import { advanceTotpStep } from '../../db/repositories/mfa.repository';
import type { Database, UserRow } from '../../db/types';
import { checkEmailCode } from './challenges';
import { consumeRecoveryCode, looksLikeRecoveryCode } from './recovery-codes';
import { checkTotpCode } from './totp';

export const MFA_MESSAGES = {
  wrong: 'Wrong code',
  replayed: 'This code was already used: wait for the next one in your app',
  emailExpired: 'This code has expired: ask for a new one',
  challengeGone: 'This sign-in has expired: enter your password again',
  tooMany: 'Too many wrong codes: enter your password again',
} as const;

export type SecondFactorCheck =
  { ok: true; via: 'totp' | 'email' | 'recovery' } | { ok: false; message: string };

/**
 * Checks what the user typed at the code step: a 6-digit code from their method (app or
 * email), or one of their recovery codes, which then stops working.
 */
export async function checkSecondFactor(
  deps: { db: Kysely<Database>; secretBox: SecretBox },
  args: { user: UserRow; challenge: MfaChallengeRow; token: string; code: string; now: Date },
): Promise<SecondFactorCheck> {
  const { user, challenge, now } = args;
  const code = args.code.trim();
  if (/^\d{6}$/.test(code)) {
    if (challenge.method === 'email') {
      const outcome = checkEmailCode(challenge, args.token, code, now);
      if (outcome === 'ok') return { ok: true, via: 'email' };
      return {
        ok: false,
        message: outcome === 'expired' ? MFA_MESSAGES.emailExpired : MFA_MESSAGES.wrong,
      };
    }
    if (user.totp_secret_ciphertext === null) return { ok: false, message: MFA_MESSAGES.wrong };
    const secret = deps.secretBox.decrypt(user.totp_secret_ciphertext);
    const lastStep = user.totp_last_step === null ? null : Number(user.totp_last_step);
    const check = await checkTotpCode(secret, code, { now, lastStep });
    if (!check.ok) {
      return {
        ok: false,
        message: MFA_MESSAGES[check.reason === 'replayed' ? 'replayed' : 'wrong'],
      };
    }
    // A concurrent request may have just used the same step.
    if (!(await advanceTotpStep(deps.db, user.id, check.step))) {
      return { ok: false, message: MFA_MESSAGES.replayed };
    }
    return { ok: true, via: 'totp' };
  }
  if (looksLikeRecoveryCode(code) && (await consumeRecoveryCode(deps.db, user.id, code, now))) {
    return { ok: true, via: 'recovery' };
  }
  return { ok: false, message: MFA_MESSAGES.wrong };
}
