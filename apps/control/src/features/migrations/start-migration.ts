import type { Instance } from '@ordo/protocol';
import type { MigrateInput, MigrationItem, MigrationView, SessionUser } from '@ordo/protocol/panel';
import type { z } from 'zod';
import {
  findActiveMigrationOf,
  insertServerMigration,
} from '../../db/repositories/server-migrations.repository';
import type { ServerRow } from '../../db/types';
import { ConflictError, ForbiddenError, NotFoundError } from '../../errors';
import { runControlJob } from '../jobs/control-jobs';
import { openJobLocks } from '../jobs/job-locks';
import { callAgent } from '../servers/call-agent';
import { getServerOrThrow } from '../servers/internal';
import { hasPermission, instancePermission, refusalMessage } from '../users/permissions';
import { targetProblem } from './check-target';
import { insertControlJob, newControlJobId } from './control-job';
import type { MigrationDeps } from './deps';
import { runMigration } from './run-migration';
import { getMigration } from './view';

export type MigrateData = z.output<typeof MigrateInput>;

/**
 * Checks the whole migration before anything moves (both agents answer, the caller may operate
 * each instance, the target has each version and none of the names, staging instances move
 * with their production), stores the `migrate` job and starts it in the background.
 */
export async function startMigration(
  deps: MigrationDeps,
  input: MigrateData,
  user: SessionUser,
): Promise<MigrationView> {
  const source = await getServerOrThrow(deps.db, input.sourceServerId);
  const target = await getServerOrThrow(deps.db, input.targetServerId);
  for (const server of [source, target]) {
    const active = await findActiveMigrationOf(deps.db, server.id);
    if (active !== undefined) {
      throw new ConflictError(
        `A migration involving ${server.name} is running (job ${active}): wait for it to end`,
      );
    }
  }

  const chosen = await chosenInstances(deps, source, input.instances);
  for (const instance of chosen) {
    const permission = instancePermission(instance.type);
    if (!hasPermission(user, permission)) {
      throw new ForbiddenError(refusalMessage(user.role, permission));
    }
  }
  const [versions, present] = await callAgent(deps, target, (client) =>
    Promise.all([client.listVersions(), client.listInstances()]),
  );
  const moving = new Set(input.instances);
  for (const instance of chosen) {
    const problem = targetProblem(
      target.name,
      { versions: versions.versions, instances: present.instances },
      instance,
      moving,
    );
    if (problem !== null) throw new ConflictError(problem);
  }

  const items = moveOrder(chosen).map((instance): MigrationItem => ({
    name: instance.name,
    type: instance.type,
    parent: instance.parent,
    version: instance.version,
    state: 'pending',
    step: 'waiting',
    progress: 0,
    error: null,
  }));
  const now = deps.now?.() ?? new Date();
  const id = newControlJobId(now);
  const requester = { userId: user.id, email: user.email };
  // Locked before it is stored: a control plane starting meanwhile never takes it for orphaned.
  const locks = await openJobLocks(deps.db);
  try {
    await locks.tryLock(id);
    await deps.db.transaction().execute(async (trx) => {
      await insertControlJob(trx, {
        id,
        kind: 'migrate',
        serverId: source.id,
        target: jobTarget(input.instances, target.name),
        requester,
        now,
      });
      await insertServerMigration(trx, {
        jobId: id,
        targetServerId: target.id,
        targetServerName: target.name,
        items,
      });
    });
  } catch (error) {
    await locks.close().catch(() => undefined);
    throw error;
  }
  runControlJob(id, (signal) =>
    runMigration(deps, { jobId: id, source, target, requester, items, locks }, signal),
  );
  deps.logger.info(
    { jobId: id, source: source.name, target: target.name, instances: input.instances },
    'migration started',
  );
  return getMigration(deps, id);
}

/** The chosen instances as the source's agent reports them now. */
async function chosenInstances(
  deps: MigrationDeps,
  source: ServerRow,
  names: readonly string[],
): Promise<Instance[]> {
  const { instances } = await callAgent(deps, source, (client) => client.listInstances());
  return names.map((name) => {
    const found = instances.find((instance) => instance.name === name);
    if (found === undefined) throw new NotFoundError(`No instance "${name}" on ${source.name}`);
    if (found.status === 'provisioning') {
      throw new ConflictError(`Instance "${name}" is still being created: migrate it once it is`);
    }
    return found;
  });
}

/** Productions (and anything without a parent) first: a staging instance needs its parent. */
export function moveOrder<T extends Pick<Instance, 'parent'>>(instances: readonly T[]): T[] {
  return [
    ...instances.filter((instance) => instance.parent === null),
    ...instances.filter((instance) => instance.parent !== null),
  ];
}

/** What the Jobs page shows and searches: the instances, then where they go. */
function jobTarget(names: readonly string[], targetName: string): string {
  const list = names.join(', ');
  const shown = list.length > 160 ? `${list.slice(0, 157)}…` : list;
  return `${shown} → ${targetName}`;
}
