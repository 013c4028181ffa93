import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { LoginInput, SessionUser } from '@ordo/protocol/panel';
import { findUserByEmail, touchLastLogin } from '../../db/repositories/users.repository';
import type { Database } from '../../db/types';
import { TooManyRequestsError, UnauthorizedError } from '../../errors';
import { burnPasswordCheck, verifyPassword } from './password';
import { type ClientInfo, createSession, endSession } from './sessions';
import { assertLoginAllowed, clearEmailFailures, recordLoginFailure } from './throttle';

export const WRONG_CREDENTIALS = 'Wrong email or password';

export interface LoginResult {
  user: SessionUser;
  token: string;
  expiresAt: Date;
}

/**
 * Checks the throttle before the password, so a locked-out attacker learns nothing even with the
 * right password; replaces the caller's previous session (no fixation).
 */
export async function login(
  deps: { db: Kysely<Database>; logger?: Logger; now?: () => Date },
  input: LoginInput,
  client: ClientInfo & { previousToken: string | null },
): Promise<LoginResult> {
  const { db } = deps;
  const now = deps.now?.() ?? new Date();
  const attempt = { email: input.email, ip: client.ip };
  try {
    await assertLoginAllowed(db, attempt, now);
  } catch (error) {
    if (error instanceof TooManyRequestsError) {
      deps.logger?.warn(attempt, 'sign-in refused: too many failures');
    }
    throw error;
  }

  const user = await findUserByEmail(db, input.email);
  const valid =
    user === undefined || !user.is_active
      ? await burnPasswordCheck(input.password).then(() => false)
      : await verifyPassword(user.password_hash, input.password);
  if (user === undefined || !valid) {
    await recordLoginFailure(db, attempt, now);
    deps.logger?.info(attempt, 'sign-in failed');
    throw new UnauthorizedError(WRONG_CREDENTIALS);
  }

  await clearEmailFailures(db, input.email);
  await touchLastLogin(db, user.id, now);
  if (client.previousToken !== null) await endSession(db, client.previousToken);
  const session = await createSession(db, user.id, client, now);
  return { user: { id: user.id, email: user.email, role: user.role }, ...session };
}
