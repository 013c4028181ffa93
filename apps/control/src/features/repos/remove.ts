import { deleteGitRepo } from '../../db/repositories/git-repos.repository';
import { NotFoundError } from '../../errors';
import { callServerAgent } from '../servers/call-agent';
import type { RepoDeps } from './deps';
import { getRepoOfInstance } from './internal';

/**
 * Removes the checkout on the agent (and its addons_path entry), then forgets the repository,
 * its secrets and its deliveries; its webhook URL answers 404 from then on. A checkout the
 * agent no longer has (failed clone) is forgotten all the same.
 */
export async function removeRepo(
  deps: RepoDeps,
  ref: { serverId: string; name: string; repoId: string },
): Promise<void> {
  const row = await getRepoOfInstance(deps.db, ref);
  try {
    await callServerAgent(deps, row.server_id, (client) =>
      client.removeRepo(row.instance_name, row.id),
    );
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
  await deleteGitRepo(deps.db, row.id);
  deps.logger.info({ repoId: row.id, instance: row.instance_name }, 'repository removed');
}
