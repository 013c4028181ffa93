import type { LoginInput, MfaMethod } from '@ordo/protocol/panel';
import { findUserByEmail } from '../../db/repositories/users.repository';
import { TooManyRequestsError, UnauthorizedError } from '../../errors';
import type { OutboxDeps } from '../email/outbox';
import { maskEmail, openChallenge, sendEmailCode } from '../mfa/challenges';
import { completeSignIn, type SignedIn } from './complete-sign-in';
import { burnPasswordCheck, verifyPassword } from './password';
import type { ClientInfo } from './sessions';
import { assertLoginAllowed, recordLoginFailure } from './throttle';

export const WRONG_CREDENTIALS = 'Wrong email or password';

/** The database, a clock, and the outbox for email codes. */
export type AuthDeps = OutboxDeps;

export interface MfaPending {
  mfaRequired: true;
  method: MfaMethod;
  /** The token the browser sends back with the code. */
  challengeId: string;
  sentTo: string | null;
  expiresAt: Date;
}

export type LoginResult = SignedIn | MfaPending;

/**
 * Checks the throttle before the password, so a locked-out attacker learns nothing even with the
 * right password. With 2FA on, the right password only opens a code step (`auth.verifyMfa`);
 * the failures are not forgotten until the code is right too.
 */
export async function login(
  deps: AuthDeps,
  input: LoginInput,
  client: ClientInfo & { previousToken: string | null },
): Promise<LoginResult> {
  const { db } = deps;
  const now = deps.now?.() ?? new Date();
  const attempt = { email: input.email, ip: client.ip };
  try {
    await assertLoginAllowed(db, attempt, now);
  } catch (error) {
    if (error instanceof TooManyRequestsError) {
      deps.logger?.warn(attempt, 'sign-in refused: too many failures');
    }
    throw error;
  }

  const user = await findUserByEmail(db, input.email);
  const valid =
    user === undefined || !user.is_active
      ? await burnPasswordCheck(input.password).then(() => false)
      : await verifyPassword(user.password_hash, input.password);
  if (user === undefined || !valid) {
    await recordLoginFailure(db, attempt, now);
    deps.logger?.info(attempt, 'sign-in failed');
    throw new UnauthorizedError(WRONG_CREDENTIALS);
  }

  if (user.mfa_method === null) return completeSignIn(db, user, client, now);

  const method = user.mfa_method;
  const challenge = await openChallenge(db, {
    userId: user.id,
    purpose: 'login',
    method,
    client,
    now,
  });
  if (method === 'email') {
    await sendEmailCode(deps, { token: challenge.token, to: user.email, userId: user.id, now });
  }
  deps.logger?.info({ userId: user.id, method }, 'sign-in waits for the second factor');
  return {
    mfaRequired: true,
    method,
    challengeId: challenge.token,
    sentTo: method === 'email' ? maskEmail(user.email) : null,
    expiresAt: challenge.expiresAt,
  };
}
