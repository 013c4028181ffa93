import type { Kysely } from 'kysely';
import {
  deleteFailuresBefore,
  deleteFailuresForKey,
  insertFailures,
  listFailuresSince,
} from '../../db/repositories/login-failures.repository';
import type { Database } from '../../db/types';
import { TooManyRequestsError } from '../../errors';

export const LOGIN_THROTTLE = {
  windowMs: 15 * 60 * 1000,
  maxPerEmail: 5,
  maxPerIp: 20,
} as const;

export interface LoginAttempt {
  email: string;
  ip: string | null;
}

const emailKey = (email: string) => `email:${email.toLowerCase()}`;
const ipKey = (ip: string) => `ip:${ip}`;

function keysOf(attempt: LoginAttempt): { key: string; max: number }[] {
  const keys: { key: string; max: number }[] = [
    { key: emailKey(attempt.email), max: LOGIN_THROTTLE.maxPerEmail },
  ];
  if (attempt.ip !== null) keys.push({ key: ipKey(attempt.ip), max: LOGIN_THROTTLE.maxPerIp });
  return keys;
}

/** Throws {@link TooManyRequestsError} while the email or the IP is over its limit. */
export async function assertLoginAllowed(
  db: Kysely<Database>,
  attempt: LoginAttempt,
  now: Date,
): Promise<void> {
  const since = new Date(now.getTime() - LOGIN_THROTTLE.windowMs);
  let retryAt: number | null = null;
  for (const { key, max } of keysOf(attempt)) {
    const failures = await listFailuresSince(db, key, since);
    if (failures.length < max) continue;
    // Allowed again once enough of the oldest failures have left the window.
    const freeing = failures[failures.length - max];
    if (freeing === undefined) continue;
    const at = freeing.getTime() + LOGIN_THROTTLE.windowMs;
    retryAt = retryAt === null ? at : Math.max(retryAt, at);
  }
  if (retryAt === null) return;
  const seconds = Math.max(1, Math.ceil((retryAt - now.getTime()) / 1000));
  const minutes = Math.ceil(seconds / 60);
  throw new TooManyRequestsError(
    `Too many failed sign-ins. Try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`,
    seconds,
  );
}

export async function recordLoginFailure(
  db: Kysely<Database>,
  attempt: LoginAttempt,
  now: Date,
): Promise<void> {
  await insertFailures(
    db,
    keysOf(attempt).map(({ key }) => key),
    now,
  );
  await deleteFailuresBefore(db, new Date(now.getTime() - LOGIN_THROTTLE.windowMs));
}

export async function clearEmailFailures(db: Kysely<Database>, email: string): Promise<void> {
  await deleteFailuresForKey(db, emailKey(email));
}
