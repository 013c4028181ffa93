import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AddRepoAccepted, AddRepoInput } from '@ordo/protocol';
import { AgentError } from '../errors';
import { instanceDir } from '../instances/instance-paths';
import { readInstanceRecord } from '../instances/instance-store';
import { requireReadyInstance } from '../instances/require-instance';
import type { JobContext } from '../jobs/job-runner';
import { editAddonsPath } from './repo-addons-path';
import type { RepoDeps } from './repo-deps';
import { repoKey } from './repo-deps';
import { asJobFailure, startAgain, stopIfWanted, withInstanceLock } from './repo-instance';
import { checkoutPath, repoPaths } from './repo-paths';
import { readRepoRecords, toGitRepo, writeRepoRecords, type RepoRecord } from './repo-store';
import { cloneBranch, revParse } from './git-ops';
import { gitEnvironment } from './git-env';

type AddRepo = Omit<AddRepoInput, 'id'> & { id?: string | undefined };

/**
 * Records the repository (commit still null) and queues its `repo_clone` job: a shallow clone
 * of the branch into `repos/<id>`, which then goes on the addons_path, and a restart when the
 * instance runs. Whatever fails, the job leaves nothing behind: no checkout, no record.
 */
export async function startAddRepo(
  deps: RepoDeps,
  name: string,
  input: AddRepo,
  requestedBy: string | null,
): Promise<AddRepoAccepted> {
  await requireReadyInstance(deps, name, 'add a repository to');
  const id = input.id ?? randomUUID();
  const { repos } = deps;
  const { record, activity } = await repos.fileLocks.run(name, async () => {
    const records = await dropUnfinishedClones(deps, name, await readRepoRecords(deps.root, name));
    if (records.some((other) => other.id === id)) {
      throw new AgentError(
        'conflict',
        409,
        `Instance "${name}" already has a repository with the id "${id}"`,
      );
    }
    const url = sameUrl(input.url);
    const twin = records.find(
      (other) => sameUrl(other.url) === url && other.branch === input.branch,
    );
    if (twin !== undefined) {
      throw new AgentError(
        'conflict',
        409,
        `Branch ${input.branch} of ${input.url} is already on instance "${name}" (repository ${twin.id})`,
      );
    }
    if (repos.activity(name, id) !== null) {
      throw new AgentError('conflict', 409, `Repository "${id}" is busy on instance "${name}"`);
    }
    const reserved = repos.reserve(name, id, 'clone');
    const added: RepoRecord = {
      id,
      url: input.url,
      branch: input.branch,
      commit: null,
      lastPullAt: null,
      lastPull: null,
      addedAt: deps.now().toISOString(),
    };
    try {
      await writeRepoRecords(deps.root, name, [...records, added]);
    } catch (error) {
      repos.release(name, id, reserved);
      throw error;
    }
    return { record: added, activity: reserved };
  });

  try {
    const job = await deps.runner.enqueue({
      kind: 'repo_clone',
      target: name,
      requestedBy,
      slot: `repo\u0000${repoKey(name, id)}`,
      conflictMessage: (running) =>
        `Repository "${id}" is already being cloned (job ${running.id})`,
      handler: (context) =>
        repos.locks.run(repoKey(name, id), () =>
          cloneJob(deps, name, record, input.token, context),
        ),
    });
    activity.jobId = job.id;
    return { job, repo: toGitRepo(deps.root, name, record) };
  } catch (error) {
    repos.release(name, id, activity);
    await forget(deps, name, id);
    throw error;
  }
}

async function cloneJob(
  deps: RepoDeps,
  name: string,
  record: RepoRecord,
  token: string | undefined,
  context: JobContext,
): Promise<void> {
  const checkouts = repoPaths(deps.root, name).checkouts;
  const temp = join(checkouts, `.${record.id}.clone-${randomBytes(4).toString('hex')}`);
  const final = checkoutPath(deps.root, name, record.id);
  const env = gitEnvironment(deps.env, token);
  let placed = false;
  let stopped = false;
  try {
    context.log(`Cloning branch ${record.branch} of ${record.url}`);
    await mkdir(checkouts, { recursive: true });
    await cloneBranch({
      context,
      url: record.url,
      branch: record.branch,
      destination: temp,
      env,
      onProgress: (fraction) => context.progress(fraction * 0.8),
    });
    const commit = await revParse(temp, 'HEAD', env, context.signal);
    context.log(`Cloned ${commit}`);

    await withInstanceLock(deps, name, async (instance) => {
      await rm(final, { recursive: true, force: true });
      await rename(temp, final);
      placed = true;
      // The commit is recorded before odoo.conf names the checkout: an agent that dies in
      // between leaves a listed repository that is not loaded, never a path Odoo cannot find.
      const now = deps.now().toISOString();
      await updateRecord(deps, name, record.id, (current) => ({
        ...current,
        commit,
        lastPullAt: now,
        lastPull: { from: null, to: commit, modules: [] },
      }));
      stopped = await stopIfWanted(deps, instance).catch((error: unknown) => {
        throw asJobFailure(error);
      });
      await editAddonsPath(deps, instance, { add: final });
      context.log(`Added ${final} to the addons_path`);
      context.progress(0.9);
      if (stopped) {
        context.log(`Restarting ${name}`);
        await startAgain(deps, instance).catch((error: unknown) => {
          throw asJobFailure(error);
        });
      } else {
        context.log(`Instance ${name} is stopped: it reads the new addons_path when it starts`);
      }
    });
    context.log(`Repository ${record.id} is at ${commit}`);
  } catch (error) {
    await undoClone(deps, name, record.id, { temp, final, placed, restart: stopped }).catch(
      (undoError: unknown) =>
        deps.logger.error(
          { instance: name, repo: record.id, err: undoError },
          'undo of a clone failed',
        ),
    );
    throw error;
  }
}

/**
 * Takes a failed clone back out: addons_path entry, checkout, temp dir, record; and starts the
 * instance again without it when the job had stopped it.
 */
async function undoClone(
  deps: RepoDeps,
  name: string,
  id: string,
  paths: { temp: string; final: string; placed: boolean; restart: boolean },
): Promise<void> {
  await rm(paths.temp, { recursive: true, force: true });
  if (paths.placed) {
    await withInstanceLock(deps, name, async (instance) => {
      await editAddonsPath(deps, instance, { remove: paths.final });
      await rm(paths.final, { recursive: true, force: true });
      if (paths.restart) await startAgain(deps, instance).catch(() => {});
    }).catch(() => rm(paths.final, { recursive: true, force: true }));
  }
  await forget(deps, name, id);
  // A delete of the instance during the clone leaves only what git wrote since: remove it.
  if ((await readInstanceRecord(deps.root, name)).kind === 'absent') {
    await rm(repoPaths(deps.root, name).checkouts, { recursive: true, force: true });
    await rm(repoPaths(deps.root, name).records, { force: true });
    await rmdir(instanceDir(deps.root, name)).catch(() => {});
  }
}

/** Removes the record of `id`, if there is one (and the file, with the instance, may be gone). */
export async function forget(deps: RepoDeps, name: string, id: string): Promise<void> {
  await deps.repos.fileLocks.run(name, async () => {
    const records = await readRepoRecords(deps.root, name).catch(() => null);
    if (records === null || !records.some((record) => record.id === id)) return;
    await writeRepoRecords(
      deps.root,
      name,
      records.filter((record) => record.id !== id),
    ).catch(() => {});
  });
}

export async function updateRecord(
  deps: RepoDeps,
  name: string,
  id: string,
  change: (record: RepoRecord) => RepoRecord,
): Promise<void> {
  await deps.repos.fileLocks.run(name, async () => {
    const records = await readRepoRecords(deps.root, name);
    await writeRepoRecords(
      deps.root,
      name,
      records.map((record) => (record.id === id ? change(record) : record)),
    );
  });
}

/**
 * Records without a commit whose clone no longer runs (the agent stopped mid-clone) are
 * dropped with their leftovers, so the id and URL can be added again. Call with the file lock.
 */
async function dropUnfinishedClones(
  deps: RepoDeps,
  name: string,
  records: RepoRecord[],
): Promise<RepoRecord[]> {
  const stale = records.filter(
    (record) => record.commit === null && deps.repos.activity(name, record.id) === null,
  );
  if (stale.length === 0) return records;
  const checkouts = repoPaths(deps.root, name).checkouts;
  const entries = await readdir(checkouts).catch(() => []);
  for (const record of stale) {
    await rm(checkoutPath(deps.root, name, record.id), { recursive: true, force: true });
    for (const entry of entries.filter((entry) => entry.startsWith(`.${record.id}.clone-`))) {
      await rm(join(checkouts, entry), { recursive: true, force: true });
    }
  }
  const kept = records.filter((record) => !stale.includes(record));
  await writeRepoRecords(deps.root, name, kept);
  return kept;
}

/** URLs compared without a trailing slash or `.git`, as Git hosts treat them as one. */
function sameUrl(url: string): string {
  return url.replace(/\/+$/, '').replace(/\.git$/, '');
}
