import type { GitRepo } from '@ordo/protocol';
import type { JobView, RepoListResult } from '@ordo/protocol/panel';
import { listGitRepos } from '../../db/repositories/git-repos.repository';
import { findJobWithServer, UNFINISHED_STATES } from '../../db/repositories/jobs.repository';
import { findInstance } from '../../db/repositories/instances.repository';
import type { GitRepoRow } from '../../db/repos-types';
import { isDomainError } from '../../errors';
import { instanceNotFound } from '../instances/list';
import { toJobView } from '../jobs/job-view';
import { callServerAgent } from '../servers/call-agent';
import type { RepoDeps } from './deps';
import { toRepoView } from './internal';

/**
 * The instance's repositories as the control plane keeps them (URL, branch, webhook), joined
 * with the agent's list (checked-out commit, last pull). When the agent does not answer, the
 * list still shows, with `agentError` saying why the commits are missing.
 */
export async function listRepos(
  deps: RepoDeps,
  ref: { serverId: string; name: string },
): Promise<RepoListResult> {
  if ((await findInstance(deps.db, ref.serverId, ref.name)) === undefined) {
    throw instanceNotFound(ref.name);
  }
  const rows = await listGitRepos(deps.db, ref.serverId, ref.name);
  let agentRepos: Map<string, GitRepo> | null = null;
  let agentError: string | null = null;
  if (rows.length > 0) {
    try {
      const { repos } = await callServerAgent(deps, ref.serverId, (client) =>
        client.listRepos(ref.name),
      );
      agentRepos = new Map(repos.map((repo) => [repo.id, repo]));
    } catch (error) {
      if (!isDomainError(error)) throw error;
      agentError = error.message;
    }
  }
  const repos = await Promise.all(
    rows.map(async (row) => {
      const agentRepo = agentRepos?.get(row.id);
      return toRepoView(row, {
        publicUrl: deps.publicUrl,
        agentRepo,
        agentState:
          agentRepos === null ? 'unknown' : agentRepo === undefined ? 'missing' : 'present',
        activeJob: await activeJobOf(deps, row),
      });
    }),
  );
  return { repos, agentError };
}

async function activeJobOf(deps: RepoDeps, row: GitRepoRow): Promise<JobView | null> {
  if (row.pull_job_id === null) return null;
  const job = await findJobWithServer(deps.db, row.pull_job_id);
  if (job === undefined || !(UNFINISHED_STATES as readonly string[]).includes(job.state)) {
    return null;
  }
  return toJobView(job);
}
