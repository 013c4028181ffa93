import { deleteGitReposOfInstance } from '../../db/repositories/git-repos.repository';
import { deleteInstanceSecrets } from '../../db/repositories/instance-secrets.repository';
import { deleteInstance } from '../../db/repositories/instances.repository';
import { NotFoundError } from '../../errors';
import type { JobDeps } from '../jobs/deps';
import { callServerAgent } from '../servers/call-agent';

/**
 * Deletes the instance on its agent (database, files, process), then forgets it here with its
 * secrets. When the agent no longer has it, the mirror is cleaned up all the same.
 */
export async function removeInstance(
  deps: JobDeps,
  ref: { serverId: string; name: string },
): Promise<void> {
  try {
    await callServerAgent(deps, ref.serverId, (client) => client.deleteInstance(ref.name));
  } catch (error) {
    if (error instanceof NotFoundError) await forget(deps, ref);
    throw error;
  }
  await forget(deps, ref);
  deps.logger.info({ serverId: ref.serverId, instance: ref.name }, 'instance deleted');
}

async function forget(deps: JobDeps, ref: { serverId: string; name: string }): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await deleteInstance(trx, ref.serverId, ref.name);
    await deleteInstanceSecrets(trx, ref.serverId, ref.name);
    await deleteGitReposOfInstance(trx, ref.serverId, ref.name);
  });
}
