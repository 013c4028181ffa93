import type { Kysely } from 'kysely';
import { type Role, type SessionUser, type UserView } from '@ordo/protocol/panel';
import { findServerById } from '../../db/repositories/servers.repository';
import {
  countOtherActiveAdmins,
  findUserWithServer,
  type UserWithServer,
} from '../../db/repositories/users.repository';
import type { Database } from '../../db/types';
import { ConflictError, ForbiddenError, NotFoundError } from '../../errors';
import { roleLabel, roleRank } from './permissions';

/** Who acts on the Users page: the signed-in account. */
export type Actor = Pick<SessionUser, 'id' | 'email' | 'role' | 'allowUserManagement' | 'serverId'>;

export const USER_NOT_FOUND = 'This user does not exist (any more)';

export function toUserView(row: UserWithServer): UserView {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    allowUserManagement: row.allow_user_management,
    serverId: row.server_id,
    serverName: row.server_name,
    isActive: row.is_active,
    mfaMethod: row.mfa_method,
    lastLoginAt: row.last_login_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  };
}

/** A user the actor may see: a server-limited manager sees only accounts of their server. */
export async function requireVisibleUser(
  db: Kysely<Database>,
  actor: Actor,
  id: string,
): Promise<UserWithServer> {
  const user = await findUserWithServer(db, id);
  if (user === undefined) throw new NotFoundError(USER_NOT_FOUND);
  if (actor.serverId !== null && user.server_id !== actor.serverId) {
    throw new NotFoundError(USER_NOT_FOUND);
  }
  return user;
}

/** Nobody manages an account above their own role ("Allow user management" is not a way up). */
export function assertCanManage(actor: Actor, target: { role: Role; email: string }): void {
  if (roleRank(target.role) > roleRank(actor.role)) {
    throw new ForbiddenError(
      `${target.email} is ${roleLabel(target.role)}, above your role (${roleLabel(actor.role)})`,
    );
  }
}

export function assertCanGrant(actor: Actor, role: Role): void {
  if (roleRank(role) > roleRank(actor.role)) {
    throw new ForbiddenError(
      `You cannot give the role ${roleLabel(role)}: it is above yours (${roleLabel(actor.role)})`,
    );
  }
}

export function assertNotSelf(actor: Actor, userId: string, message: string): void {
  if (actor.id === userId) throw new ForbiddenError(message);
}

/**
 * The server an account may be limited to: one that exists, and for a server-limited manager
 * only their own (which new accounts get by default).
 */
export async function resolveRestriction(
  db: Kysely<Database>,
  actor: Actor,
  serverId: string | null,
): Promise<string | null> {
  const wanted = serverId ?? actor.serverId;
  if (actor.serverId !== null && wanted !== actor.serverId) {
    throw new ForbiddenError(
      'Your account is limited to one server: the accounts you manage are limited to it too',
    );
  }
  if (wanted !== null && (await findServerById(db, wanted)) === undefined) {
    throw new NotFoundError('That server does not exist (any more)');
  }
  return wanted;
}

/** The panel always keeps one active administrator. */
export async function assertAnotherActiveAdmin(
  db: Kysely<Database>,
  user: { id: string; email: string },
  action: string,
): Promise<void> {
  if ((await countOtherActiveAdmins(db, user.id)) === 0) {
    throw new ConflictError(
      `${user.email} is the last active admin: make another account admin before you ${action}`,
    );
  }
}
