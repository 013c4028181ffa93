import type { EmailMfaSetup, RecoveryCodes } from '@ordo/protocol/panel';
import {
  deleteChallenge,
  deleteUserChallenges,
  enableMfa,
  spendChallengeAttempt,
} from '../../db/repositories/mfa.repository';
import { findUserById } from '../../db/repositories/users.repository';
import { NotFoundError, ValidationError } from '../../errors';
import { isSmtpConfigured } from '../settings/smtp-settings';
import {
  challengeKey,
  checkEmailCode,
  findOpenChallenge,
  maskEmail,
  MFA_POLICY,
  openChallenge,
  sendEmailCode,
} from './challenges';
import { MFA_MESSAGES } from './check-second-factor';
import { type MfaDeps, nowOf } from './deps';
import { issueRecoveryCodes } from './recovery-codes';

export const SMTP_NEEDED_FOR_EMAIL_2FA =
  'Email codes need a working SMTP server: ask an administrator to configure it in Settings';

/** Step 1 of turning on email codes: proves the mailbox works by mailing a code to it. */
export async function startEmailEnrolment(
  deps: MfaDeps,
  userId: string,
  client: { ip: string | null; userAgent: string | null },
): Promise<EmailMfaSetup> {
  if (!(await isSmtpConfigured(deps.db))) throw new ValidationError(SMTP_NEEDED_FOR_EMAIL_2FA);
  const user = await findUserById(deps.db, userId);
  if (user === undefined) throw new NotFoundError('This account no longer exists');
  const now = nowOf(deps);
  const { token } = await openChallenge(deps.db, {
    userId,
    purpose: 'enroll_email',
    method: 'email',
    client,
    now,
  });
  await sendEmailCode(deps, { token, to: user.email, userId, now });
  return { challengeId: token, sentTo: maskEmail(user.email) };
}

/** Step 2: the mailed code switches 2FA to email and gives ten new recovery codes. */
export async function confirmEmailEnrolment(
  deps: MfaDeps,
  userId: string,
  input: { challengeId: string; code: string },
): Promise<RecoveryCodes> {
  const now = nowOf(deps);
  const challenge = await findOpenChallenge(deps.db, input.challengeId, 'enroll_email', now);
  if (challenge === undefined || challenge.user_id !== userId) {
    throw new ValidationError('This code request has expired: start again');
  }
  const used = await spendChallengeAttempt(deps.db, challenge.id, MFA_POLICY.maxAttempts);
  if (used === null) {
    await deleteChallenge(deps.db, challenge.id);
    throw new ValidationError('Too many wrong codes: start again');
  }
  const outcome = checkEmailCode(challenge, input.challengeId, input.code, now);
  if (outcome !== 'ok') {
    throw new ValidationError(
      outcome === 'expired' ? MFA_MESSAGES.emailExpired : MFA_MESSAGES.wrong,
    );
  }
  if (!(await deleteChallenge(deps.db, challengeKey(input.challengeId)))) {
    throw new ValidationError('This code request has expired: start again');
  }
  await enableMfa(deps.db, userId, { method: 'email', at: now });
  await deleteUserChallenges(deps.db, userId);
  deps.logger?.info({ userId }, 'two-factor authentication by email turned on');
  return { codes: await issueRecoveryCodes(deps.db, userId, now) };
}
