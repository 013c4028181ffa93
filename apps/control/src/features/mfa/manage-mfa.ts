import type { MfaStatus, RecoveryCodes } from '@ordo/protocol/panel';
import {
  clearMfa,
  countUnusedRecoveryCodes,
  enableMfa,
} from '../../db/repositories/mfa.repository';
import { findUserById } from '../../db/repositories/users.repository';
import { NotFoundError, ValidationError } from '../../errors';
import { verifyPassword } from '../auth/password';
import { isSmtpConfigured } from '../settings/smtp-settings';
import { type MfaDeps, nowOf } from './deps';
import { SMTP_NEEDED_FOR_EMAIL_2FA } from './enroll-email';
import { issueRecoveryCodes } from './recovery-codes';

export const WRONG_PASSWORD = 'Wrong password';

async function requirePassword(deps: MfaDeps, userId: string, password: string) {
  const user = await findUserById(deps.db, userId);
  if (user === undefined) throw new NotFoundError('This account no longer exists');
  if (!(await verifyPassword(user.password_hash, password))) {
    throw new ValidationError(WRONG_PASSWORD);
  }
  return user;
}

export async function getMfaStatus(deps: MfaDeps, userId: string): Promise<MfaStatus> {
  const user = await findUserById(deps.db, userId);
  if (user === undefined) throw new NotFoundError('This account no longer exists');
  return {
    method: user.mfa_method,
    recoveryCodesLeft: await countUnusedRecoveryCodes(deps.db, userId),
    emailAvailable: await isSmtpConfigured(deps.db),
  };
}

/** The user turns their own 2FA off; their password proves it is them. */
export async function disableOwnMfa(
  deps: MfaDeps,
  userId: string,
  password: string,
): Promise<void> {
  await requirePassword(deps, userId, password);
  await clearMfa(deps.db, userId, nowOf(deps));
  deps.logger?.info({ userId }, 'two-factor authentication turned off by its owner');
}

/** An administrator resets someone's 2FA (lost phone): they sign in with the password alone. */
export async function resetUserMfa(deps: MfaDeps, userId: string): Promise<void> {
  await clearMfa(deps.db, userId, nowOf(deps));
  deps.logger?.info({ userId }, 'two-factor authentication reset by an administrator');
}

/**
 * An administrator turns on 2FA for someone else. Only codes by email can be turned on this
 * way: the mailbox is the account's own address, while an authenticator app needs its owner to
 * scan the QR code (they can switch to it from their account page).
 */
export async function enableEmailMfaFor(deps: MfaDeps, userId: string): Promise<void> {
  if (!(await isSmtpConfigured(deps.db))) throw new ValidationError(SMTP_NEEDED_FOR_EMAIL_2FA);
  await enableMfa(deps.db, userId, { method: 'email', at: nowOf(deps) });
  deps.logger?.info({ userId }, 'two-factor authentication by email turned on by an administrator');
}

/** Ten new recovery codes; the old ones stop working. */
export async function regenerateRecoveryCodes(
  deps: MfaDeps,
  userId: string,
  password: string,
): Promise<RecoveryCodes> {
  const user = await requirePassword(deps, userId, password);
  if (user.mfa_method === null) {
    throw new ValidationError('Turn on two-factor authentication first');
  }
  return { codes: await issueRecoveryCodes(deps.db, userId, nowOf(deps)) };
}
