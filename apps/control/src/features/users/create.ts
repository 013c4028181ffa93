import type { z } from 'zod';
import type { UserCreateInput, UserView } from '@ordo/protocol/panel';
import { findUserWithServer, insertUserIfAbsent } from '../../db/repositories/users.repository';
import { ConflictError } from '../../errors';
import { hashPassword } from '../auth/password';
import { enqueueEmail, type OutboxDeps } from '../email/outbox';
import { welcomeEmail } from '../email/templates';
import { isSmtpConfigured } from '../settings/smtp-settings';
import { type Actor, assertCanGrant, resolveRestriction, toUserView } from './internal';
import { assertPasswordAllowed } from './password-policy';

export type WelcomeEmailOutcome = 'queued' | 'smtp_not_configured' | 'not_requested';

/** Creates an account; the welcome email (access URL) is queued, never awaited. */
export async function createUser(
  deps: OutboxDeps & { panelUrl?: () => string },
  actor: Actor,
  input: z.output<typeof UserCreateInput>,
): Promise<{ user: UserView; welcomeEmail: WelcomeEmailOutcome }> {
  assertCanGrant(actor, input.role);
  assertPasswordAllowed(input.password, input.email);
  const serverId = await resolveRestriction(deps.db, actor, input.serverId);
  const now = deps.now?.() ?? new Date();
  const inserted = await insertUserIfAbsent(deps.db, {
    email: input.email,
    password_hash: await hashPassword(input.password),
    role: input.role,
    allow_user_management: input.allowUserManagement,
    server_id: serverId,
    created_at: now,
    updated_at: now,
    password_changed_at: now,
  });
  if (inserted === undefined) {
    throw new ConflictError(`An account for ${input.email} already exists`);
  }
  deps.logger?.info({ userId: inserted.id, role: input.role, by: actor.id }, 'user created');

  let welcome: WelcomeEmailOutcome = 'not_requested';
  if (input.sendWelcomeEmail) {
    if (await isSmtpConfigured(deps.db)) {
      const content = welcomeEmail({
        email: inserted.email,
        panelUrl: deps.panelUrl?.() ?? 'the Ordo panel',
      });
      await enqueueEmail(deps, {
        kind: 'welcome',
        to: inserted.email,
        subject: content.subject,
        text: content.text,
        createdBy: actor.id,
      });
      welcome = 'queued';
    } else {
      welcome = 'smtp_not_configured';
    }
  }
  const user = await findUserWithServer(deps.db, inserted.id);
  return { user: toUserView(user ?? { ...inserted, server_name: null }), welcomeEmail: welcome };
}
