import { createHash, randomBytes } from 'node:crypto';
import {
  deleteDeadResetTokens,
  deleteUserResetTokens,
  insertResetToken,
  useResetToken,
} from '../../db/repositories/password-resets.repository';
import { deleteUserSessions } from '../../db/repositories/sessions.repository';
import { findUserById, updateUser } from '../../db/repositories/users.repository';
import { NotFoundError, ValidationError } from '../../errors';
import { enqueueEmail, type OutboxDeps } from '../email/outbox';
import { passwordResetEmail } from '../email/templates';
import { isSmtpConfigured } from '../settings/smtp-settings';
import { assertPasswordAllowed } from '../users/password-policy';
import { hashPassword } from './password';
import { clearEmailFailures } from './throttle';

export const RESET_TOKEN_TTL_MS = 30 * 60_000;
export const RESET_LINK_INVALID =
  'This reset link is invalid, used or expired: ask your administrator for a new one';

function tokenKey(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface ResetDeps extends OutboxDeps {
  panelUrl?: () => string;
}

/** Mails the user a single-use link to choose a new password (valid 30 minutes). */
export async function sendPasswordResetLink(
  deps: ResetDeps,
  userId: string,
  requestedBy: string | null,
): Promise<void> {
  const user = await findUserById(deps.db, userId);
  if (user === undefined) throw new NotFoundError('This user no longer exists');
  if (!(await isSmtpConfigured(deps.db))) {
    throw new ValidationError(
      'Reset links go by email and SMTP is not configured: set it up in Settings, or set a new password here',
    );
  }
  const now = deps.now?.() ?? new Date();
  const token = randomBytes(32).toString('base64url');
  await deleteDeadResetTokens(deps.db, now);
  await insertResetToken(deps.db, {
    id: tokenKey(token),
    userId,
    createdBy: requestedBy,
    now,
    expiresAt: new Date(now.getTime() + RESET_TOKEN_TTL_MS),
  });
  const base = deps.panelUrl?.() ?? 'http://localhost';
  const content = passwordResetEmail({
    resetUrl: `${base}/reset-password?token=${encodeURIComponent(token)}`,
    validMinutes: RESET_TOKEN_TTL_MS / 60_000,
  });
  await enqueueEmail(deps, {
    kind: 'password_reset',
    to: user.email,
    subject: content.subject,
    text: content.text,
    createdBy: requestedBy,
  });
}

/**
 * Sets the password a user chose, ends all their sessions and unlocks the account. Shared by
 * the reset link, the administrator's "Reset password" and the user's own change.
 */
export async function replacePassword(
  deps: OutboxDeps,
  user: { id: string; email: string },
  password: string,
  options: { keepSessionId?: string } = {},
): Promise<void> {
  assertPasswordAllowed(password, user.email);
  const now = deps.now?.() ?? new Date();
  await updateUser(deps.db, user.id, {
    password_hash: await hashPassword(password),
    password_changed_at: now,
    updated_at: now,
  });
  await deleteUserSessions(deps.db, user.id, options.keepSessionId);
  await deleteUserResetTokens(deps.db, user.id);
  await clearEmailFailures(deps.db, user.email);
}

/** The reset page: a live, unused token sets the new password (and is spent by it). */
export async function resetPasswordWithToken(
  deps: OutboxDeps,
  input: { token: string; password: string },
): Promise<void> {
  const now = deps.now?.() ?? new Date();
  const key = tokenKey(input.token);
  const found = await deps.db
    .selectFrom('password_reset_tokens')
    .innerJoin('users', 'users.id', 'password_reset_tokens.user_id')
    .select(['users.id', 'users.email', 'users.is_active'])
    .where('password_reset_tokens.id', '=', key)
    .where('password_reset_tokens.used_at', 'is', null)
    .where('password_reset_tokens.expires_at', '>', now)
    .executeTakeFirst();
  if (found === undefined || !found.is_active) throw new ValidationError(RESET_LINK_INVALID);
  // Checked before spending the token, so a refused password leaves the link usable.
  assertPasswordAllowed(input.password, found.email);
  if ((await useResetToken(deps.db, key, now)) === undefined) {
    throw new ValidationError(RESET_LINK_INVALID);
  }
  await replacePassword(deps, found, input.password);
  deps.logger?.info({ userId: found.id }, 'password reset by link');
}
