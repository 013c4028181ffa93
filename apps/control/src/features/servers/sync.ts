import type { InstanceList } from '@ordo/protocol';
import type { SyncResult } from '@ordo/protocol/panel';
import {
  deleteInstancesNotIn,
  listInstanceNames,
  upsertInstances,
} from '../../db/repositories/instances.repository';
import { updateServer } from '../../db/repositories/servers.repository';
import { AgentUnavailableError, NotFoundError } from '../../errors';
import type { ServerDeps } from './deps';
import {
  AgentClientError,
  agentClientFor,
  getServerOrThrow,
  recordAgentFailure,
  SERVER_NOT_FOUND,
} from './internal';

/** Mirrors the agent's instance list: new ones added, known ones updated, vanished ones removed. */
export async function syncServer(deps: ServerDeps, id: string): Promise<SyncResult> {
  const server = await getServerOrThrow(deps.db, id);
  let list: InstanceList;
  try {
    list = await agentClientFor(deps, server).listInstances();
  } catch (error) {
    if (!(error instanceof AgentClientError)) throw error;
    await recordAgentFailure(deps, id, error);
    throw new AgentUnavailableError(error.message, { cause: error });
  }

  const now = deps.now?.() ?? new Date();
  const names = list.instances.map((instance) => instance.name);
  return deps.db.transaction().execute(async (trx) => {
    // Updating the server first locks its row, so two syncs of one server run one after the other.
    const stillThere = await updateServer(trx, id, {
      status: 'active',
      last_seen_at: now,
      last_error: null,
    });
    if (stillThere === undefined) throw new NotFoundError(SERVER_NOT_FOUND);
    const known = new Set(await listInstanceNames(trx, id));
    await upsertInstances(
      trx,
      list.instances.map((instance) => ({
        server_id: id,
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
        synced_at: now,
      })),
    );
    const removed = await deleteInstancesNotIn(trx, id, names);
    return {
      instanceCount: names.length,
      added: names.filter((name) => !known.has(name)).length,
      removed,
    };
  });
}
