import type { InstanceList, JobList } from '@ordo/protocol';
import type { SyncResult } from '@ordo/protocol/panel';
import {
  deleteInstancesNotIn,
  instanceToRow,
  listInstanceNames,
  upsertInstances,
} from '../../db/repositories/instances.repository';
import { deleteOrphanSecrets } from '../../db/repositories/instance-secrets.repository';
import { updateServer } from '../../db/repositories/servers.repository';
import { AgentUnavailableError, NotFoundError } from '../../errors';
import { importJobs } from '../jobs/record-job';
import type { ServerDeps } from './deps';
import {
  AgentClientError,
  agentClientFor,
  getServerOrThrow,
  recordAgentFailure,
  SERVER_NOT_FOUND,
} from './internal';

/**
 * Mirrors the agent's instance list (new ones added, known ones updated, vanished ones removed
 * with their stored secrets) and imports the agent's jobs the control plane does not know yet
 * (started elsewhere), so they show up and get followed.
 */
export async function syncServer(deps: ServerDeps, id: string): Promise<SyncResult> {
  const server = await getServerOrThrow(deps.db, id);
  let list: InstanceList;
  let jobs: JobList;
  try {
    const client = agentClientFor(deps, server);
    list = await client.listInstances();
    jobs = await client.listJobs();
  } catch (error) {
    if (!(error instanceof AgentClientError)) throw error;
    await recordAgentFailure(deps, id, error);
    throw new AgentUnavailableError(error.message, { cause: error });
  }

  const now = deps.now?.() ?? new Date();
  const names = list.instances.map((instance) => instance.name);
  const result = await deps.db.transaction().execute(async (trx) => {
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
      list.instances.map((instance) => instanceToRow(id, instance, now)),
    );
    const removed = await deleteInstancesNotIn(trx, id, names);
    await deleteOrphanSecrets(trx, id, names);
    return {
      instanceCount: names.length,
      added: names.filter((name) => !known.has(name)).length,
      removed,
    };
  });
  await importJobs(deps, id, jobs.jobs);
  return result;
}
