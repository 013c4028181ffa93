import type { Kysely } from 'kysely';
import { InstanceView } from '@ordo/protocol/panel';
import { listInstancesWithServer } from '../../db/repositories/instances.repository';
import type { Database } from '../../db/types';

/** Instances as last synced from the agents, by server name then instance name. */
export async function listInstances(
  deps: { db: Kysely<Database> },
  filter: { serverId?: string | undefined } = {},
): Promise<InstanceView[]> {
  const rows = await listInstancesWithServer(
    deps.db,
    filter.serverId === undefined ? {} : { serverId: filter.serverId },
  );
  // Parsed on the way out: rows hold what an agent once sent, which must still fit the protocol.
  return rows.map((row) =>
    InstanceView.parse({
      serverId: row.server_id,
      serverName: row.server_name,
      name: row.name,
      version: row.version,
      edition: row.edition,
      type: row.type,
      parent: row.parent,
      status: row.status,
      statusReason: row.status_reason,
      database: row.database,
      httpPort: row.http_port,
      url: row.url,
      syncedAt: row.synced_at.toISOString(),
    }),
  );
}
