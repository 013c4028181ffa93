import type { Job } from '@ordo/protocol';
import type { JobView } from '@ordo/protocol/panel';
import type { Transaction } from 'kysely';
import {
  lockGitRepo,
  lockGitRepoByJob,
  updatePullState,
} from '../../db/repositories/git-repos.repository';
import {
  findJob,
  insertJobIfAbsent,
  UNFINISHED_STATES,
} from '../../db/repositories/jobs.repository';
import type { GitRepoRow } from '../../db/repos-types';
import type { Database } from '../../db/types';
import { NotFoundError } from '../../errors';
import type { JobDeps, Requester } from '../jobs/deps';
import { getJob } from '../jobs/list';
import { newJobRow } from '../jobs/record-job';
import { callServerAgent } from '../servers/call-agent';

/**
 * How long a process may take between claiming a pull and recording its job; a claim older
 * than this belonged to a process that died meanwhile. Well above the agent call's timeout.
 */
export const PULL_CLAIM_TTL_MS = 120_000;

/** `start`: this caller must start the pull now. `follows`: one is in flight already. */
export type PullDecision =
  { kind: 'start'; repo: GitRepoRow } | { kind: 'follows'; repo: GitRepoRow; jobId: string | null };

export interface PullTrigger {
  requester: Requester | null;
  /** Stored as the job's `requestedBy` (the user's email, or which webhook). */
  requestedBy: string;
}

const isUnfinished = (state: string) => (UNFINISHED_STATES as readonly string[]).includes(state);

/**
 * Decides under the repository's row lock (so several control processes agree) whether a pull
 * starts now. While a clone or pull is queued or running, or another process is starting one,
 * `queue` marks "pull again when done" instead: a burst of pushes makes at most one more pull,
 * and that one fetches the newest commit.
 */
export async function decidePull(
  trx: Transaction<Database>,
  repoId: string,
  options: { now: Date; queue: boolean },
): Promise<PullDecision> {
  const repo = await lockGitRepo(trx, repoId);
  if (repo === undefined) throw new NotFoundError('This repository was removed');
  const follow = async (jobId: string | null): Promise<PullDecision> => {
    if (options.queue && !repo.pull_pending) {
      await updatePullState(trx, repo.id, { pull_pending: true });
    }
    return { kind: 'follows', repo, jobId };
  };
  if (repo.pull_job_id !== null) {
    const job = await findJob(trx, repo.pull_job_id);
    // A job the mirror saw end is over even if its end was not handled yet.
    if (job !== undefined && isUnfinished(job.state)) return follow(job.id);
  }
  const claimedAt = repo.pull_claimed_at?.getTime();
  if (claimedAt !== undefined && options.now.getTime() - claimedAt < PULL_CLAIM_TTL_MS) {
    return follow(null);
  }
  await updatePullState(trx, repo.id, {
    pull_job_id: null,
    pull_claimed_at: options.now,
    pull_pending: false,
  });
  return { kind: 'start', repo };
}

/**
 * Asks the agent for the pull this caller claimed (with the decrypted token: it travels in the
 * request body only), then records its job as the one in flight and mirrors it. When the agent
 * refuses, the claim is released so the next push can try again.
 */
export async function startClaimedPull(
  deps: JobDeps,
  repo: GitRepoRow,
  trigger: PullTrigger,
): Promise<JobView> {
  const token =
    repo.token_ciphertext === null ? undefined : deps.secretBox.decrypt(repo.token_ciphertext);
  let job: Job;
  try {
    ({ job } = await callServerAgent(deps, repo.server_id, (client) =>
      client.pullRepo(
        repo.instance_name,
        repo.id,
        { ...(token === undefined ? {} : { token }), updateModules: true },
        { requestedBy: trigger.requestedBy },
      ),
    ));
  } catch (error) {
    await releaseClaim(deps, repo.id).catch((releaseError: unknown) =>
      deps.logger.warn({ err: releaseError, repoId: repo.id }, 'cannot release a pull claim'),
    );
    throw error;
  }
  await recordRepoJob(deps, repo, job, trigger.requester);
  deps.logger.info(
    { repoId: repo.id, instance: repo.instance_name, jobId: job.id, by: trigger.requestedBy },
    'repository pull started',
  );
  return getJob(deps, job.id);
}

/** Makes `job` (a clone or pull) the repository's job in flight and mirrors it. */
export async function recordRepoJob(
  deps: JobDeps,
  repo: GitRepoRow,
  job: Job,
  requester: Requester | null,
): Promise<void> {
  const now = deps.now?.() ?? new Date();
  await deps.db.transaction().execute(async (trx) => {
    // Mirrored in the same transaction: the follower cannot see the job end before the link.
    await updatePullState(trx, repo.id, { pull_job_id: job.id, pull_claimed_at: null });
    await insertJobIfAbsent(trx, newJobRow(repo.server_id, job, requester, now));
  });
  deps.jobHub.recorded(job.id);
}

async function releaseClaim(deps: JobDeps, repoId: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const repo = await lockGitRepo(trx, repoId);
    if (repo === undefined || repo.pull_job_id !== null) return;
    if (repo.pull_pending) {
      deps.logger.warn({ repoId }, 'pushes queued behind a pull that could not start');
    }
    await updatePullState(trx, repoId, { pull_claimed_at: null, pull_pending: false });
  });
}

/**
 * The job follower's hook for repository jobs: the clone or pull in flight ended, so the
 * repository is free, and when pushes arrived meanwhile one more pull starts now.
 */
export async function onRepoJobFinished(deps: JobDeps, job: Job): Promise<void> {
  if (job.kind !== 'repo_clone' && job.kind !== 'repo_pull') return;
  const now = deps.now?.() ?? new Date();
  const next = await deps.db.transaction().execute(async (trx) => {
    const repo = await lockGitRepoByJob(trx, job.id);
    if (repo === undefined) return null;
    // After a failed clone there is no checkout to pull into.
    const again = repo.pull_pending && !(job.kind === 'repo_clone' && job.state !== 'succeeded');
    await updatePullState(trx, repo.id, {
      pull_job_id: null,
      pull_pending: false,
      pull_claimed_at: again ? now : null,
    });
    return again ? repo : null;
  });
  if (next === null) return;
  await startClaimedPull(deps, next, {
    requester: null,
    requestedBy: 'webhook (pushes during the last pull)',
  }).catch((error: unknown) =>
    deps.logger.warn({ err: error, repoId: next.id }, 'cannot start the queued pull'),
  );
}
