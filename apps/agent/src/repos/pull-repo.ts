import { stat } from 'node:fs/promises';
import type { Job, PullRepoInput } from '@ordo/protocol';
import { AgentError } from '../errors';
import { runtimeInstance } from '../instances/instance-paths';
import { requireReadyInstance } from '../instances/require-instance';
import { JobFailure } from '../jobs/job-failure';
import type { JobContext } from '../jobs/job-runner';
import { updateRecord } from './add-repo';
import { changedPaths, checkOut, fetchBranch, filesOf } from './git-ops';
import { gitEnvironment } from './git-env';
import { repoKey, type RepoDeps } from './repo-deps';
import { asJobFailure, startAgain, stopIfWanted, withInstanceLock } from './repo-instance';
import { checkoutPath } from './repo-paths';
import { readRepoRecords, type RepoRecord } from './repo-store';
import { touchedModules } from './touched-modules';
import { updateModules } from './update-modules';

/** The repository's record; 404 naming it when the instance has none with that id. */
export async function requireRepo(deps: RepoDeps, name: string, id: string): Promise<RepoRecord> {
  const found = (await readRepoRecords(deps.root, name)).find((record) => record.id === id);
  if (found === undefined || (found.commit === null && deps.repos.activity(name, id) === null)) {
    throw new AgentError('not_found', 404, `Instance "${name}" has no repository "${id}"`);
  }
  return found;
}

/**
 * Queues a `repo_pull` job: fetch the branch, check out its newest commit, update (`-u`) the
 * modules the new commits touched, restart. 409 `pull_in_progress` while one runs for it.
 */
export async function startPullRepo(
  deps: RepoDeps,
  name: string,
  id: string,
  input: { token?: string | undefined; updateModules: boolean },
  requestedBy: string | null,
): Promise<Job> {
  await requireReadyInstance(deps, name, 'pull a repository of');
  await requireRepo(deps, name, id);
  const { repos } = deps;
  const busy = repos.activity(name, id);
  if (busy?.kind === 'pull') {
    throw new AgentError(
      'pull_in_progress',
      409,
      `A pull of repository "${id}" is already running` +
        (busy.jobId === null ? '' : ` (job ${busy.jobId})`) +
        ': wait for it to end',
    );
  }
  if (busy?.kind === 'clone') {
    throw new AgentError(
      'conflict',
      409,
      `Repository "${id}" is still being cloned` +
        (busy.jobId === null ? '' : ` (job ${busy.jobId})`) +
        ': pull it once the clone ended',
    );
  }
  const activity = repos.reserve(name, id, 'pull');
  try {
    const job = await deps.runner.enqueue({
      kind: 'repo_pull',
      target: name,
      requestedBy,
      slot: `repo\u0000${repoKey(name, id)}`,
      conflictMessage: (running) =>
        `A pull of repository "${id}" is already running (job ${running.id})`,
      handler: (context) =>
        repos.locks.run(repoKey(name, id), () => pullJob(deps, name, id, input, context)),
    });
    activity.jobId = job.id;
    return job;
  } catch (error) {
    repos.release(name, id, activity);
    throw error;
  }
}

async function pullJob(
  deps: RepoDeps,
  name: string,
  id: string,
  input: PullRepoInput & { updateModules: boolean },
  context: JobContext,
): Promise<void> {
  const record = (await readRepoRecords(deps.root, name)).find((found) => found.id === id);
  if (record === undefined || record.commit === null) {
    throw new JobFailure('repo_removed', `Repository "${id}" was removed from "${name}"`);
  }
  const dir = checkoutPath(deps.root, name, id);
  if (
    !(await stat(dir).then(
      (info) => info.isDirectory(),
      () => false,
    ))
  ) {
    throw new JobFailure(
      'repo_missing',
      `The checkout ${dir} is missing: remove the repository and add it again`,
    );
  }
  const env = gitEnvironment(deps.env, input.token);
  const from = record.commit;
  context.log(`Fetching branch ${record.branch} of ${record.url}`);
  const to = await fetchBranch({
    context,
    url: record.url,
    branch: record.branch,
    dir,
    env,
    onProgress: (fraction) => context.progress(fraction * 0.5),
  });

  if (to === from) {
    context.log(`Already up to date at ${to}`);
    await finish(deps, name, id, { from, to, modules: [] });
    return;
  }
  const modules = touchedModules(
    await changedPaths(dir, from, to, env, context.signal),
    await filesOf(dir, to, env, context.signal),
  );
  context.log(`New commit ${to} (was ${from})`);
  context.log(
    modules.length === 0 ? 'No module changed' : `Modules changed: ${modules.join(', ')}`,
  );

  await withInstanceLock(deps, name, async (instance) => {
    // Code of a running Odoo only changes with a restart; files outside modules need none.
    const restart = modules.length > 0;
    const stopped = restart
      ? await stopIfWanted(deps, instance).catch((error: unknown) => {
          throw asJobFailure(error);
        })
      : false;
    await checkOut(context, dir, to, env);
    context.progress(0.6);
    if (modules.length > 0 && input.updateModules) {
      context.log(`Updating ${modules.join(', ')} in ${instance.database}`);
      try {
        await updateModules({
          context,
          instance: runtimeInstance(deps.root, instance),
          database: instance.database,
          modules,
          env: deps.env,
        });
      } catch (error) {
        // The database stays as it was, so the code must too: back to the previous commit.
        await checkOut(context, dir, from, env);
        context.log(`Checked out ${from} again`);
        if (stopped) await startAgain(deps, instance).catch(() => {});
        throw error;
      }
    }
    context.progress(0.9);
    if (stopped) {
      context.log(`Restarting ${name}`);
      await startAgain(deps, instance).catch((error: unknown) => {
        throw asJobFailure(error);
      });
    }
  });
  await finish(deps, name, id, { from, to, modules });
  context.log(`Repository ${id} is at ${to}`);
}

async function finish(
  deps: RepoDeps,
  name: string,
  id: string,
  lastPull: { from: string; to: string; modules: string[] },
): Promise<void> {
  const now = deps.now().toISOString();
  await updateRecord(deps, name, id, (current) => ({
    ...current,
    commit: lastPull.to,
    lastPullAt: now,
    lastPull,
  }));
}
