import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/types';
import { hashPassword } from '../../src/features/auth';

export async function createUser(
  db: Kysely<Database>,
  user: { email: string; password: string; isActive?: boolean },
): Promise<{ id: string; email: string }> {
  return db
    .insertInto('users')
    .values({
      email: user.email,
      password_hash: await hashPassword(user.password),
      is_active: user.isActive ?? true,
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
