import type { RecoveryCodes, TotpSetup } from '@ordo/protocol/panel';
import {
  deleteUserChallenges,
  enableMfa,
  setPendingTotp,
} from '../../db/repositories/mfa.repository';
import { findUserById } from '../../db/repositories/users.repository';
import { NotFoundError, ValidationError } from '../../errors';
import { MFA_POLICY } from './challenges';
import { type MfaDeps, nowOf } from './deps';
import { issueRecoveryCodes } from './recovery-codes';
import { checkTotpCode, newTotpSecret, qrDataUrl, totpUri } from './totp';

/**
 * Step 1 of turning on the app method: a new secret, kept aside (encrypted) until a code from
 * it is confirmed. The account's current 2FA, if any, stays in force meanwhile.
 */
export async function startTotpEnrolment(deps: MfaDeps, userId: string): Promise<TotpSetup> {
  const user = await findUserById(deps.db, userId);
  if (user === undefined) throw new NotFoundError('This account no longer exists');
  const secret = newTotpSecret();
  await setPendingTotp(deps.db, userId, {
    ciphertext: deps.secretBox.encrypt(secret),
    at: nowOf(deps),
  });
  const otpauthUrl = totpUri(user.email, secret);
  return { secret, otpauthUrl, qrDataUrl: await qrDataUrl(otpauthUrl) };
}

/** Step 2: a valid code from the app switches 2FA to it and gives ten new recovery codes. */
export async function confirmTotpEnrolment(
  deps: MfaDeps,
  userId: string,
  code: string,
): Promise<RecoveryCodes> {
  const now = nowOf(deps);
  const user = await findUserById(deps.db, userId);
  if (user === undefined) throw new NotFoundError('This account no longer exists');
  const started = user.totp_pending_created_at;
  if (
    user.totp_pending_ciphertext === null ||
    started === null ||
    now.getTime() - started.getTime() > MFA_POLICY.pendingTotpTtlMs
  ) {
    throw new ValidationError('This setup has expired: start again to get a new QR code');
  }
  const secret = deps.secretBox.decrypt(user.totp_pending_ciphertext);
  const check = await checkTotpCode(secret, code, { now, lastStep: null });
  if (!check.ok) {
    throw new ValidationError(
      'Wrong code: enter the current code from your app (check the time on your phone)',
    );
  }
  await enableMfa(deps.db, userId, {
    method: 'totp',
    secretCiphertext: user.totp_pending_ciphertext,
    lastStep: check.step,
    at: now,
  });
  await deleteUserChallenges(deps.db, userId);
  deps.logger?.info({ userId }, 'two-factor authentication by app turned on');
  return { codes: await issueRecoveryCodes(deps.db, userId, now) };
}
