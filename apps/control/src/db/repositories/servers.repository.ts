import { type Kysely, sql } from 'kysely';
import type { Database, NewServer, ServerChanges, ServerRow } from '../types';

export type ServerWithCount = ServerRow & { instance_count: number };

function selectServersWithCount(db: Kysely<Database>) {
  return db
    .selectFrom('servers')
    .selectAll('servers')
    .select((eb) =>
      eb
        .selectFrom('instances')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('instances.server_id', '=', 'servers.id')
        .as('instance_count'),
    );
}

function withNumericCount<T extends { instance_count: string | null }>(
  row: T,
): Omit<T, 'instance_count'> & { instance_count: number } {
  return { ...row, instance_count: Number(row.instance_count ?? 0) };
}

export async function listServersWithCount(db: Kysely<Database>): Promise<ServerWithCount[]> {
  const rows = await selectServersWithCount(db)
    .orderBy(sql`lower(name)`)
    .orderBy('name')
    .execute();
  return rows.map(withNumericCount);
}

export async function findServerWithCount(
  db: Kysely<Database>,
  id: string,
): Promise<ServerWithCount | undefined> {
  const row = await selectServersWithCount(db).where('servers.id', '=', id).executeTakeFirst();
  return row && withNumericCount(row);
}

export function findServerById(db: Kysely<Database>, id: string): Promise<ServerRow | undefined> {
  return db.selectFrom('servers').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findServerByName(
  db: Kysely<Database>,
  name: string,
): Promise<ServerRow | undefined> {
  return db
    .selectFrom('servers')
    .selectAll()
    .where(sql<string>`lower(name)`, '=', name.toLowerCase())
    .executeTakeFirst();
}

export function insertServer(db: Kysely<Database>, server: NewServer): Promise<ServerRow> {
  return db.insertInto('servers').values(server).returningAll().executeTakeFirstOrThrow();
}

export function updateServer(
  db: Kysely<Database>,
  id: string,
  changes: ServerChanges,
): Promise<ServerRow | undefined> {
  return db
    .updateTable('servers')
    .set(changes)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/** True when a row was deleted. */
export async function deleteServer(db: Kysely<Database>, id: string): Promise<boolean> {
  const result = await db.deleteFrom('servers').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
