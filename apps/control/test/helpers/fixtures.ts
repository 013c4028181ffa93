import type { Kysely } from 'kysely';
import type { Role } from '@ordo/protocol/panel';
import type { Database } from '../../src/db/types';
import { hashPassword } from '../../src/features/auth';

/** A user straight in the database; the role defaults to the column's default (admin). */
export async function createUser(
  db: Kysely<Database>,
  user: {
    email: string;
    password: string;
    isActive?: boolean;
    role?: Role;
    allowUserManagement?: boolean;
    serverId?: string | null;
  },
): Promise<{ id: string; email: string }> {
  return db
    .insertInto('users')
    .values({
      email: user.email,
      password_hash: await hashPassword(user.password),
      is_active: user.isActive ?? true,
      ...(user.role === undefined ? {} : { role: user.role }),
      allow_user_management: user.allowUserManagement ?? false,
      server_id: user.serverId ?? null,
    })
    .returning(['id', 'email'])
    .executeTakeFirstOrThrow();
}

let counter = 0;
/** A unique, valid agent token for a test. */
export function fakeToken(): string {
  counter += 1;
  return `test-token-${counter.toString().padStart(4, '0')}-${Math.random().toString(16).slice(2)}`;
}

/** The user of a sign-in that needed no second factor (fails the test otherwise). */
export function signedInUser<U>(
  result: { mfaRequired: false; user: U } | { mfaRequired: true },
): U {
  if (result.mfaRequired) throw new Error('expected a sign-in without a second factor');
  return result.user;
}
