import { deleteUser } from '../../db/repositories/users.repository';
import { ValidationError } from '../../errors';
import { replacePassword, sendPasswordResetLink } from '../auth/password-reset';
import { enqueueEmail, type OutboxDeps } from '../email/outbox';
import { enableEmailMfaFor, resetUserMfa } from '../mfa/manage-mfa';
import { isSmtpConfigured } from '../settings/smtp-settings';
import {
  type Actor,
  assertAnotherActiveAdmin,
  assertCanManage,
  assertNotSelf,
  requireVisibleUser,
} from './internal';

type Deps = OutboxDeps & { panelUrl?: () => string };

/** An administrator sets a new password; the account's sessions end. */
export async function setUserPassword(
  deps: Deps,
  actor: Actor,
  input: { id: string; password: string },
): Promise<void> {
  const target = await requireVisibleUser(deps.db, actor, input.id);
  assertNotSelf(actor, target.id, 'Change your own password from your account page');
  assertCanManage(actor, target);
  await replacePassword(deps, target, input.password);
  deps.logger?.info({ userId: target.id, by: actor.id }, 'password set by an administrator');
}

/** Mails the account a single-use link to choose a new password. */
export async function sendUserResetLink(deps: Deps, actor: Actor, id: string): Promise<void> {
  const target = await requireVisibleUser(deps.db, actor, id);
  assertCanManage(actor, target);
  await sendPasswordResetLink(deps, target.id, actor.id);
}

/** "Send email": a free-form message through the configured SMTP server (queued). */
export async function sendUserEmail(
  deps: Deps,
  actor: Actor,
  input: { id: string; subject: string; body: string },
): Promise<{ emailId: string }> {
  const target = await requireVisibleUser(deps.db, actor, input.id);
  if (!(await isSmtpConfigured(deps.db))) {
    throw new ValidationError('SMTP is not configured: set it up in Settings first');
  }
  const emailId = await enqueueEmail(deps, {
    kind: 'message',
    to: target.email,
    subject: input.subject,
    text: input.body,
    createdBy: actor.id,
  });
  return { emailId };
}

/** Turns someone else's 2FA off (lost phone); they sign in with their password alone. */
export async function resetUserTwoFactor(deps: Deps, actor: Actor, id: string): Promise<void> {
  const target = await requireVisibleUser(deps.db, actor, id);
  assertNotSelf(
    actor,
    target.id,
    'Turn off your own two-factor authentication from your account page',
  );
  assertCanManage(actor, target);
  if (target.mfa_method === null) {
    throw new ValidationError(`${target.email} has no two-factor authentication to reset`);
  }
  await resetUserMfa(deps, target.id);
}

/** Turns on 2FA by email for another account (the Users page's "Enable 2FA"). */
export async function enableUserEmailTwoFactor(
  deps: Deps,
  actor: Actor,
  id: string,
): Promise<void> {
  const target = await requireVisibleUser(deps.db, actor, id);
  assertNotSelf(
    actor,
    target.id,
    'Turn on your own two-factor authentication from your account page',
  );
  assertCanManage(actor, target);
  if (target.mfa_method !== null) {
    throw new ValidationError(`${target.email} already uses two-factor authentication`);
  }
  await enableEmailMfaFor(deps, target.id);
}

/** Deletes an account for good: never one's own, never the last active admin. */
export async function removeUser(deps: Deps, actor: Actor, id: string): Promise<void> {
  const target = await requireVisibleUser(deps.db, actor, id);
  assertNotSelf(actor, target.id, 'You cannot delete your own account');
  assertCanManage(actor, target);
  if (target.role === 'admin' && target.is_active) {
    await assertAnotherActiveAdmin(deps.db, target, 'delete it');
  }
  await deleteUser(deps.db, target.id);
  deps.logger?.info({ userId: target.id, by: actor.id }, 'user deleted');
}
