import { type Kysely, sql } from 'kysely';
import type { Role } from '@ordo/protocol/panel';
import type { Database, NewUser, UserChanges, UserRow } from '../types';

export function countUsers(db: Kysely<Database>): Promise<number> {
  return db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .executeTakeFirstOrThrow()
    .then((row) => Number(row.count));
}

export function findUserByEmail(db: Kysely<Database>, email: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst();
}

export function findUserById(db: Kysely<Database>, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Inserts unless the email is taken; returns the new row or undefined. */
export function insertUserIfAbsent(
  db: Kysely<Database>,
  user: NewUser,
): Promise<UserRow | undefined> {
  return db
    .insertInto('users')
    .values(user)
    .onConflict((oc) => oc.expression(sql`lower(email)`).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function touchLastLogin(db: Kysely<Database>, id: string, at: Date): Promise<void> {
  await db.updateTable('users').set({ last_login_at: at }).where('id', '=', id).execute();
}

export type UserWithServer = UserRow & { server_name: string | null };

export interface UserFilter {
  search?: string | undefined;
  role?: Role | undefined;
  /** Only accounts limited to this server (what a server-limited manager may see). */
  serverId?: string | undefined;
}

function selectUsersWithServer(db: Kysely<Database>) {
  return db
    .selectFrom('users')
    .leftJoin('servers', 'servers.id', 'users.server_id')
    .selectAll('users')
    .select('servers.name as server_name');
}

/** Sorted by email. */
export function listUsersWithServer(
  db: Kysely<Database>,
  filter: UserFilter,
): Promise<UserWithServer[]> {
  let query = selectUsersWithServer(db);
  if (filter.role !== undefined) query = query.where('users.role', '=', filter.role);
  if (filter.serverId !== undefined) query = query.where('users.server_id', '=', filter.serverId);
  if (filter.search !== undefined && filter.search !== '') {
    query = query.where(sql<boolean>`strpos(lower(users.email), lower(${filter.search})) > 0`);
  }
  return query.orderBy('users.email').execute();
}

export function findUserWithServer(
  db: Kysely<Database>,
  id: string,
): Promise<UserWithServer | undefined> {
  return selectUsersWithServer(db).where('users.id', '=', id).executeTakeFirst();
}

export function updateUser(
  db: Kysely<Database>,
  id: string,
  changes: UserChanges,
): Promise<UserRow | undefined> {
  return db
    .updateTable('users')
    .set(changes)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteUser(db: Kysely<Database>, id: string): Promise<boolean> {
  const result = await db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Active administrators other than `exceptId`: the panel must always keep one. */
export async function countOtherActiveAdmins(
  db: Kysely<Database>,
  exceptId: string,
): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('role', '=', 'admin')
    .where('is_active', '=', true)
    .where('id', '!=', exceptId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
