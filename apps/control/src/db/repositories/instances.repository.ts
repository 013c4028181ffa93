import { type Kysely, sql } from 'kysely';
import type { Instance } from '@ordo/protocol';
import type { Database, InstanceRow, NewInstance } from '../types';

export type InstanceWithServer = InstanceRow & {
  server_name: string;
  server_runtime: string | null;
};

export function listInstancesWithServer(
  db: Kysely<Database>,
  filter: { serverId?: string },
): Promise<InstanceWithServer[]> {
  let query = db
    .selectFrom('instances')
    .innerJoin('servers', 'servers.id', 'instances.server_id')
    .selectAll('instances')
    .select(['servers.name as server_name', 'servers.runtime as server_runtime']);
  if (filter.serverId !== undefined)
    query = query.where('instances.server_id', '=', filter.serverId);
  return query
    .orderBy(sql`lower(servers.name)`)
    .orderBy('instances.name')
    .execute();
}

export async function listInstanceNames(db: Kysely<Database>, serverId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('instances')
    .select('name')
    .where('server_id', '=', serverId)
    .execute();
  return rows.map((row) => row.name);
}

export async function upsertInstances(db: Kysely<Database>, rows: NewInstance[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('instances')
    .values(rows)
    .onConflict((oc) =>
      oc.columns(['server_id', 'name']).doUpdateSet((eb) => ({
        version: eb.ref('excluded.version'),
        edition: eb.ref('excluded.edition'),
        type: eb.ref('excluded.type'),
        parent: eb.ref('excluded.parent'),
        status: eb.ref('excluded.status'),
        status_reason: eb.ref('excluded.status_reason'),
        database: eb.ref('excluded.database'),
        http_port: eb.ref('excluded.http_port'),
        url: eb.ref('excluded.url'),
        synced_at: eb.ref('excluded.synced_at'),
      })),
    )
    .execute();
}

/** Deletes the server's instances whose names are not in `keep`; returns how many went. */
export async function deleteInstancesNotIn(
  db: Kysely<Database>,
  serverId: string,
  keep: string[],
): Promise<number> {
  let query = db.deleteFrom('instances').where('server_id', '=', serverId);
  if (keep.length > 0) query = query.where('name', 'not in', keep);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

export function findInstance(
  db: Kysely<Database>,
  serverId: string,
  name: string,
): Promise<InstanceRow | undefined> {
  return db
    .selectFrom('instances')
    .selectAll()
    .where('server_id', '=', serverId)
    .where('name', '=', name)
    .executeTakeFirst();
}

export async function deleteInstance(
  db: Kysely<Database>,
  serverId: string,
  name: string,
): Promise<void> {
  await db
    .deleteFrom('instances')
    .where('server_id', '=', serverId)
    .where('name', '=', name)
    .execute();
}

/** An instance as the agent reports it, as a mirror row. */
export function instanceToRow(serverId: string, instance: Instance, syncedAt: Date): NewInstance {
  return {
    server_id: serverId,
    name: instance.name,
    version: instance.version,
    edition: instance.edition,
    type: instance.type,
    parent: instance.parent,
    status: instance.status,
    status_reason: instance.statusReason ?? null,
    database: instance.database,
    http_port: instance.httpPort,
    url: instance.url,
    synced_at: syncedAt,
  };
}
