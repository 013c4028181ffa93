import type { Kysely } from 'kysely';
import { InstanceName } from '@ordo/protocol';
import { InstanceView, type JobView } from '@ordo/protocol/panel';
import { listSecretHolders } from '../../db/repositories/instance-secrets.repository';
import {
  findInstance,
  type InstanceWithServer,
  listInstancesWithServer,
} from '../../db/repositories/instances.repository';
import type { Database } from '../../db/types';
import { NotFoundError } from '../../errors';
import { listActiveJobs } from '../jobs/list';

const key = (serverId: string, name: string) => `${serverId}/${name}`;

/**
 * Instances as last mirrored from the agents, by server name then instance name, each with its
 * running creation job (for progress) and whether its passwords are stored.
 */
export async function listInstances(
  deps: { db: Kysely<Database> },
  filter: { serverId?: string | undefined; name?: string } = {},
): Promise<InstanceView[]> {
  const serverFilter = filter.serverId === undefined ? {} : { serverId: filter.serverId };
  const [rows, creating, cloning, withSecrets] = await Promise.all([
    listInstancesWithServer(deps.db, serverFilter),
    listActiveJobs(deps, { ...serverFilter, kind: 'instance.create' }),
    // A clone to staging creates its staging instance: its job is that instance's creation job.
    listActiveJobs(deps, { ...serverFilter, kind: 'instance.clone' }),
    listSecretHolders(deps.db, serverFilter),
  ]);
  const activeJobs = new Map<string, JobView>();
  // Newest first: keep the newest creation job per instance.
  const newestFirst = [...creating, ...cloning].sort((a, b) =>
    b.createdAt.localeCompare(a.createdAt),
  );
  for (const job of newestFirst) {
    const at = key(job.serverId, job.target);
    if (!activeJobs.has(at)) activeJobs.set(at, job);
  }
  return rows
    .filter((row) => filter.name === undefined || row.name === filter.name)
    .map((row) =>
      toInstanceView(row, {
        activeJob: activeJobs.get(key(row.server_id, row.name)) ?? null,
        hasSecrets: withSecrets.has(key(row.server_id, row.name)),
      }),
    );
}

/** One mirrored instance as the panel sees it. */
export async function getInstanceView(
  deps: { db: Kysely<Database> },
  serverId: string,
  name: string,
): Promise<InstanceView> {
  const [view] = await listInstances(deps, { serverId, name });
  if (view === undefined) throw instanceNotFound(name);
  return view;
}

export function instanceNotFound(name: string): NotFoundError {
  return new NotFoundError(`No instance "${name}" on this server: it may have been deleted`);
}

/** Whether the mirror has this instance. */
export async function isInstanceMirrored(
  deps: { db: Kysely<Database> },
  serverId: string,
  name: string,
): Promise<boolean> {
  return (await findInstance(deps.db, serverId, name)) !== undefined;
}

// Parsed on the way out: rows hold what an agent once sent, which must still fit the protocol.
function toInstanceView(
  row: InstanceWithServer,
  extra: { activeJob: JobView | null; hasSecrets: boolean },
): InstanceView {
  return InstanceView.parse({
    serverId: row.server_id,
    serverName: row.server_name,
    serverRuntime: row.server_runtime,
    name: InstanceName.parse(row.name),
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
    ...extra,
  });
}
