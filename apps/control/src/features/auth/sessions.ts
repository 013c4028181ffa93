import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { SessionUser } from '@ordo/protocol/panel';
import {
  deleteSession,
  findSessionWithUser,
  insertSession,
  touchSession,
} from '../../db/repositories/sessions.repository';
import type { Database } from '../../db/types';
import { toSessionUser } from '../users/permissions';

export const SESSION_POLICY = {
  absoluteMs: 7 * 24 * 60 * 60 * 1000,
  idleMs: 24 * 60 * 60 * 1000,
  /** last_seen_at is written at most this often, not on every request. */
  touchEveryMs: 60 * 1000,
} as const;

export interface ActiveSession {
  id: string;
  user: SessionUser;
  expiresAt: Date;
}

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

/** The database keeps only the hash: a leaked table cannot be replayed as cookies. */
export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function createSession(
  db: Kysely<Database>,
  userId: string,
  client: ClientInfo,
  now: Date,
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_POLICY.absoluteMs);
  await insertSession(db, {
    id: sessionIdOf(token),
    userId,
    createdAt: now,
    expiresAt,
    ip: client.ip,
    userAgent: client.userAgent?.slice(0, 512) ?? null,
  });
  return { token, expiresAt };
}

/** The session behind a cookie token, or null when unknown, expired, idle too long or disabled. */
export async function resolveSession(
  db: Kysely<Database>,
  token: string,
  now: Date,
): Promise<ActiveSession | null> {
  const id = sessionIdOf(token);
  const row = await findSessionWithUser(db, id);
  if (row === undefined) return null;
  const idleSince = now.getTime() - row.last_seen_at.getTime();
  if (
    row.expires_at.getTime() <= now.getTime() ||
    idleSince >= SESSION_POLICY.idleMs ||
    !row.is_active
  ) {
    await deleteSession(db, id);
    return null;
  }
  if (idleSince >= SESSION_POLICY.touchEveryMs) await touchSession(db, id, now);
  return {
    id,
    user: toSessionUser({ ...row, id: row.user_id }),
    expiresAt: row.expires_at,
  };
}

export async function endSession(db: Kysely<Database>, token: string): Promise<void> {
  await deleteSession(db, sessionIdOf(token));
}
