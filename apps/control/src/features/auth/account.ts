import { deleteUserSessions } from '../../db/repositories/sessions.repository';
import { findUserById } from '../../db/repositories/users.repository';
import { NotFoundError, ValidationError } from '../../errors';
import type { OutboxDeps } from '../email/outbox';
import { verifyPassword } from './password';
import { replacePassword } from './password-reset';
import { assertLoginAllowed, recordLoginFailure } from './throttle';

export const WRONG_CURRENT_PASSWORD = 'Your current password is wrong';

/**
 * The user changes their own password: the current one must be right (wrong guesses count
 * toward the sign-in throttle), and every other session of theirs ends.
 */
export async function changeOwnPassword(
  deps: OutboxDeps,
  session: { userId: string; sessionId: string; ip: string | null },
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const now = deps.now?.() ?? new Date();
  const user = await findUserById(deps.db, session.userId);
  if (user === undefined) throw new NotFoundError('This account no longer exists');
  const attempt = { email: user.email, ip: session.ip };
  await assertLoginAllowed(deps.db, attempt, now);
  if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
    await recordLoginFailure(deps.db, attempt, now);
    throw new ValidationError(WRONG_CURRENT_PASSWORD);
  }
  if (input.currentPassword === input.newPassword) {
    throw new ValidationError('The new password must differ from the current one');
  }
  await replacePassword(deps, user, input.newPassword, { keepSessionId: session.sessionId });
  deps.logger?.info({ userId: user.id }, 'password changed by its owner');
}

/** "Log out everywhere": every session of the user ends, this one included. */
export async function logoutEverywhere(
  deps: Pick<OutboxDeps, 'db' | 'logger'>,
  userId: string,
): Promise<number> {
  const ended = await deleteUserSessions(deps.db, userId);
  deps.logger?.info({ userId, ended }, 'logged out everywhere');
  return ended;
}
