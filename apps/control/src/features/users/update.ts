import type { z } from 'zod';
import type { UserUpdateInput, UserView } from '@ordo/protocol/panel';
import { deleteUserChallenges } from '../../db/repositories/mfa.repository';
import { deleteUserSessions } from '../../db/repositories/sessions.repository';
import { findUserWithServer, updateUser } from '../../db/repositories/users.repository';
import type { UserChanges } from '../../db/types';
import { NotFoundError } from '../../errors';
import type { OutboxDeps } from '../email/outbox';
import {
  type Actor,
  assertAnotherActiveAdmin,
  assertCanGrant,
  assertCanManage,
  assertNotSelf,
  requireVisibleUser,
  resolveRestriction,
  toUserView,
  USER_NOT_FOUND,
} from './internal';

/**
 * Changes role, "Allow user management", server restriction or the active flag. Turning an
 * account off ends its sessions at once; the last active admin can be neither demoted nor
 * turned off; nobody changes their own access.
 */
export async function updateUserAccess(
  deps: OutboxDeps,
  actor: Actor,
  input: z.output<typeof UserUpdateInput>,
): Promise<UserView> {
  const target = await requireVisibleUser(deps.db, actor, input.id);
  assertNotSelf(actor, target.id, 'Ask another administrator to change your own access');
  assertCanManage(actor, target);

  const changes: UserChanges = {};
  if (input.role !== undefined && input.role !== target.role) {
    assertCanGrant(actor, input.role);
    changes.role = input.role;
  }
  if (input.allowUserManagement !== undefined) {
    changes.allow_user_management = input.allowUserManagement;
  }
  if (input.serverId !== undefined && input.serverId !== target.server_id) {
    changes.server_id = await resolveRestriction(deps.db, actor, input.serverId);
  }
  if (input.isActive !== undefined) changes.is_active = input.isActive;

  const staysActiveAdmin =
    (changes.role ?? target.role) === 'admin' && (changes.is_active ?? target.is_active);
  if (target.role === 'admin' && target.is_active && !staysActiveAdmin) {
    await assertAnotherActiveAdmin(
      deps.db,
      target,
      changes.is_active === false ? 'turn it off' : 'change its role',
    );
  }

  const now = deps.now?.() ?? new Date();
  const updated = await updateUser(deps.db, target.id, { ...changes, updated_at: now });
  if (updated === undefined) throw new NotFoundError(USER_NOT_FOUND);
  if (changes.is_active === false) {
    await deleteUserSessions(deps.db, target.id);
    await deleteUserChallenges(deps.db, target.id);
  }
  deps.logger?.info(
    { userId: target.id, by: actor.id, changes: Object.keys(changes) },
    'user updated',
  );
  const row = await findUserWithServer(deps.db, target.id);
  if (row === undefined) throw new NotFoundError(USER_NOT_FOUND);
  return toUserView(row);
}
