import {
  type Permission,
  PERMISSIONS,
  type Role,
  ROLE_LABELS,
  ROLES,
  type SessionUser,
} from '@ordo/protocol/panel';
import type { UserRow } from '../../db/types';

/**
 * THE role table: the lowest role holding each permission (CloudWady's access levels).
 * Production operations need Developer Plus, staging ones Developer; servers, versions and
 * settings need Maintainer; destroying an instance and managing users need Admin, except that
 * "Allow user management" grants `users.manage` to any role.
 */
export const MINIMUM_ROLE: Record<Permission, Role> = {
  'fleet.read': 'viewer',
  'account.manage': 'viewer',
  'instances.staging.operate': 'developer',
  'instances.production.operate': 'developer_plus',
  'servers.manage': 'maintainer',
  'versions.manage': 'maintainer',
  'settings.manage': 'maintainer',
  'audit.read': 'maintainer',
  'instances.delete': 'admin',
  'users.manage': 'admin',
};

/** What a refusal says the role cannot do: "Your role (Viewer) cannot manage servers". */
export const PERMISSION_PHRASES: Record<Permission, string> = {
  'fleet.read': 'see servers and instances',
  'account.manage': 'manage this account',
  'instances.staging.operate': 'operate staging instances',
  'instances.production.operate': 'operate production instances',
  'servers.manage': 'manage servers',
  'versions.manage': 'manage Odoo versions',
  'settings.manage': 'change the settings',
  'audit.read': 'read the audit log',
  'instances.delete': 'delete instances',
  'users.manage': 'manage users',
};

/**
 * What a tRPC procedure declares it needs (`.meta({ permission })`):
 * - a permission;
 * - `instances.operate`: the staging or production permission, by the target instance's type;
 * - `jobs.operate`: for a job, what its kind needs (`versions.manage` for a version install,
 *   the instance permission for an instance job);
 * - `public`: no session at all (sign-in steps, password reset by link).
 */
export type ProcedurePermission = Permission | 'instances.operate' | 'jobs.operate' | 'public';

export function roleRank(role: Role): number {
  return ROLES.indexOf(role);
}

export function roleLabel(role: Role): string {
  return ROLE_LABELS[role];
}

export interface AccessSubject {
  role: Role;
  allowUserManagement: boolean;
}

export function hasPermission(subject: AccessSubject, permission: Permission): boolean {
  if (permission === 'users.manage' && subject.allowUserManagement) return true;
  return roleRank(subject.role) >= roleRank(MINIMUM_ROLE[permission]);
}

export function permissionsOf(subject: AccessSubject): Permission[] {
  return PERMISSIONS.filter((permission) => hasPermission(subject, permission));
}

export function refusalMessage(role: Role, permission: Permission): string {
  return `Your role (${roleLabel(role)}) cannot ${PERMISSION_PHRASES[permission]}`;
}

/** The instance permission an operation on an instance of this type needs. */
export function instancePermission(type: string): Permission {
  return type === 'staging' ? 'instances.staging.operate' : 'instances.production.operate';
}

/** The panel's view of a user row: role, restriction, 2FA and the permissions that follow. */
export function toSessionUser(
  row: Pick<
    UserRow,
    'id' | 'email' | 'role' | 'allow_user_management' | 'server_id' | 'mfa_method'
  >,
): SessionUser {
  const subject = { role: row.role, allowUserManagement: row.allow_user_management };
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    allowUserManagement: row.allow_user_management,
    serverId: row.server_id,
    mfaMethod: row.mfa_method,
    permissions: permissionsOf(subject),
  };
}
