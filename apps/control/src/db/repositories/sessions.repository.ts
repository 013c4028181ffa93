import type { Kysely } from 'kysely';
import type { Database, SessionRow, UserRow } from '../types';

export async function insertSession(
  db: Kysely<Database>,
  session: {
    id: string;
    userId: string;
    createdAt: Date;
    expiresAt: Date;
    ip: string | null;
    userAgent: string | null;
  },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id: session.id,
      user_id: session.userId,
      created_at: session.createdAt,
      last_seen_at: session.createdAt,
      expires_at: session.expiresAt,
      ip: session.ip,
      user_agent: session.userAgent,
    })
    .execute();
}

export type SessionWithUser = SessionRow &
  Pick<
    UserRow,
    'email' | 'role' | 'is_active' | 'allow_user_management' | 'server_id' | 'mfa_method'
  >;

export function findSessionWithUser(
  db: Kysely<Database>,
  id: string,
): Promise<SessionWithUser | undefined> {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('sessions')
    .select([
      'users.email',
      'users.role',
      'users.is_active',
      'users.allow_user_management',
      'users.server_id',
      'users.mfa_method',
    ])
    .where('sessions.id', '=', id)
    .executeTakeFirst();
}

export async function touchSession(db: Kysely<Database>, id: string, at: Date): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
}

export async function deleteSession(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

/** Ends every session of a user, or every one but `keepId`; returns how many ended. */
export async function deleteUserSessions(
  db: Kysely<Database>,
  userId: string,
  keepId?: string,
): Promise<number> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keepId !== undefined) query = query.where('id', '!=', keepId);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}
