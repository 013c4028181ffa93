import type { VerifyMfaInput } from '@ordo/protocol/panel';
import { deleteChallenge, spendChallengeAttempt } from '../../db/repositories/mfa.repository';
import { findUserById } from '../../db/repositories/users.repository';
import { TooManyRequestsError, UnauthorizedError } from '../../errors';
import { findOpenChallenge, MFA_POLICY, resendWaitSeconds, sendEmailCode } from '../mfa/challenges';
import { checkSecondFactor, MFA_MESSAGES } from '../mfa/check-second-factor';
import { completeSignIn, type SignedIn } from './complete-sign-in';
import type { AuthDeps } from './login';
import type { ClientInfo } from './sessions';
import { assertLoginAllowed, recordLoginFailure } from './throttle';

/**
 * The code step of a sign-in. Every wrong code counts as a failed sign-in of the account (the
 * throttle then stops password + code guessing alike), and a challenge dies after 5 tries.
 */
export async function verifyMfa(
  deps: AuthDeps,
  input: VerifyMfaInput,
  client: ClientInfo & { previousToken: string | null },
): Promise<SignedIn> {
  const now = deps.now?.() ?? new Date();
  const challenge = await findOpenChallenge(deps.db, input.challengeId, 'login', now);
  const user = challenge && (await findUserById(deps.db, challenge.user_id));
  if (challenge === undefined || user === undefined || !user.is_active) {
    throw new UnauthorizedError(MFA_MESSAGES.challengeGone);
  }
  const attempt = { email: user.email, ip: client.ip };
  await assertLoginAllowed(deps.db, attempt, now);

  const used = await spendChallengeAttempt(deps.db, challenge.id, MFA_POLICY.maxAttempts);
  if (used === null) {
    await deleteChallenge(deps.db, challenge.id);
    throw new UnauthorizedError(MFA_MESSAGES.tooMany);
  }
  const check = await checkSecondFactor(deps, {
    user,
    challenge,
    token: input.challengeId,
    code: input.code,
    now,
  });
  if (!check.ok) {
    await recordLoginFailure(deps.db, attempt, now);
    deps.logger?.info({ userId: user.id, attempts: used }, 'sign-in code refused');
    if (used >= MFA_POLICY.maxAttempts) {
      await deleteChallenge(deps.db, challenge.id);
      throw new UnauthorizedError(`${check.message}. ${MFA_MESSAGES.tooMany}`);
    }
    const left = MFA_POLICY.maxAttempts - used;
    throw new UnauthorizedError(`${check.message} (${left} ${left === 1 ? 'try' : 'tries'} left)`);
  }
  // Two requests with the same right code: only the one that removes the challenge signs in.
  if (!(await deleteChallenge(deps.db, challenge.id))) {
    throw new UnauthorizedError(MFA_MESSAGES.challengeGone);
  }
  deps.logger?.info({ userId: user.id, via: check.via }, 'signed in with a second factor');
  return completeSignIn(deps.db, user, client, now);
}

/** Mails a new code for an email challenge, at most once a minute. */
export async function resendMfaCode(
  deps: AuthDeps,
  challengeId: string,
): Promise<{ expiresAt: Date }> {
  const now = deps.now?.() ?? new Date();
  const challenge = await findOpenChallenge(deps.db, challengeId, 'login', now);
  const user = challenge && (await findUserById(deps.db, challenge.user_id));
  if (challenge === undefined || user === undefined || !user.is_active) {
    throw new UnauthorizedError(MFA_MESSAGES.challengeGone);
  }
  if (challenge.method !== 'email') {
    throw new UnauthorizedError('This account uses an authenticator app: open it for the code');
  }
  const wait = resendWaitSeconds(challenge, now);
  if (wait > 0) {
    throw new TooManyRequestsError(
      `A code was sent less than a minute ago. Ask again in ${wait} ${wait === 1 ? 'second' : 'seconds'}.`,
      wait,
    );
  }
  await sendEmailCode(deps, { token: challengeId, to: user.email, userId: user.id, now });
  return { expiresAt: challenge.expires_at };
}
