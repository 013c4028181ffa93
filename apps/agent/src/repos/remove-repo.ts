import { rm } from 'node:fs/promises';
import type { GitRepo } from '@ordo/protocol';
import { AgentError } from '../errors';
import { requireInstance, requireReadyInstance } from '../instances/require-instance';
import { mapRuntimeErrors } from '../instances/runtime-failure';
import { forget } from './add-repo';
import { requireRepo } from './pull-repo';
import { editAddonsPath } from './repo-addons-path';
import { repoKey, type RepoDeps } from './repo-deps';
import { startAgain, stopIfWanted, withInstanceLock } from './repo-instance';
import { checkoutPath } from './repo-paths';
import { readRepoRecords, toGitRepo } from './repo-store';

/**
 * Takes the checkout off the addons_path, deletes it and its record, and restarts the instance
 * when it runs (stopped first, so Odoo never runs with a path that is gone). Refused while a
 * clone or pull of it runs.
 */
export async function removeRepo(deps: RepoDeps, name: string, id: string): Promise<void> {
  await requireReadyInstance(deps, name, 'remove a repository of');
  await requireRepo(deps, name, id);
  refuseWhileBusy(deps, name, id);
  await deps.repos.locks.run(repoKey(name, id), async () => {
    // A pull queued meanwhile would wait for this lock and then find no record: refuse it here.
    refuseWhileBusy(deps, name, id);
    await mapRuntimeErrors(() =>
      withInstanceLock(deps, name, async (instance) => {
        const path = checkoutPath(deps.root, name, id);
        const stopped = await stopIfWanted(deps, instance);
        await editAddonsPath(deps, instance, { remove: path });
        await rm(path, { recursive: true, force: true });
        await forget(deps, name, id);
        deps.logger.info({ instance: name, repo: id }, 'repository removed');
        if (stopped) await startAgain(deps, instance);
      }),
    );
  });
}

function refuseWhileBusy(deps: RepoDeps, name: string, id: string): void {
  const busy = deps.repos.activity(name, id);
  if (busy === null) return;
  throw new AgentError(
    busy.kind === 'pull' ? 'pull_in_progress' : 'conflict',
    409,
    `Repository "${id}" is being ${busy.kind === 'pull' ? 'pulled' : 'cloned'}` +
      (busy.jobId === null ? '' : ` (job ${busy.jobId})`) +
      ': remove it once that job ended',
  );
}

/** The instance's repositories in the order they were added (clones in progress included). */
export async function listRepos(deps: RepoDeps, name: string): Promise<GitRepo[]> {
  await requireInstance(deps, name);
  return (await readRepoRecords(deps.root, name))
    .filter((record) => record.commit !== null || deps.repos.activity(name, record.id) !== null)
    .map((record) => toGitRepo(deps.root, name, record));
}
