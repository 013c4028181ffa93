import type { Kysely } from 'kysely';
import type { SessionUser } from '@ordo/protocol/panel';
import { touchLastLogin } from '../../db/repositories/users.repository';
import type { Database, UserRow } from '../../db/types';
import { toSessionUser } from '../users/permissions';
import { type ClientInfo, createSession, endSession } from './sessions';
import { clearEmailFailures } from './throttle';

export interface SignedIn {
  mfaRequired: false;
  user: SessionUser;
  token: string;
  expiresAt: Date;
}

/**
 * The last step of every sign-in: forget the failures, replace the caller's previous session
 * with a new one (no fixation) and remember when this account last signed in.
 */
export async function completeSignIn(
  db: Kysely<Database>,
  user: UserRow,
  client: ClientInfo & { previousToken: string | null },
  now: Date,
): Promise<SignedIn> {
  await clearEmailFailures(db, user.email);
  await touchLastLogin(db, user.id, now);
  if (client.previousToken !== null) await endSession(db, client.previousToken);
  const session = await createSession(db, user.id, client, now);
  return { mfaRequired: false, user: toSessionUser(user), ...session };
}
