import {
  AddRepoInput,
  InstanceName,
  PullRepoInput,
  RepoId,
  type AddRepoAccepted,
  type JobAccepted,
  type RepoList,
  type RepoRemoved,
} from '@ordo/protocol';
import { Hono, type Context } from 'hono';
import type { AgentEnv } from '../app-env';
import { AgentError } from '../errors';
import type { InstanceDeps } from '../instances/instance-deps';
import { startAddRepo } from '../repos/add-repo';
import { startPullRepo } from '../repos/pull-repo';
import { listRepos, removeRepo } from '../repos/remove-repo';
import { RepoState, type RepoDeps } from '../repos/repo-deps';
import { requestedBy } from './requested-by';
import { jsonBody, parseInput } from './validate';

/** Git repositories checked out for an instance (their tokens only ever pass through). */
export function repoRoutes(instances: InstanceDeps) {
  const deps: RepoDeps = {
    ...instances,
    repos: new RepoState((id) => instances.runner.isActive(id)),
  };
  const name = (c: Context<AgentEnv>) => parseInput(InstanceName, c.req.param('name'), 'name');
  const id = (c: Context<AgentEnv>) => parseInput(RepoId, c.req.param('id'), 'id');

  return new Hono<AgentEnv>()
    .get('/v1/instances/:name/repos', async (c) => {
      const body: RepoList = { repos: await listRepos(deps, name(c)) };
      return c.json(body);
    })
    .post('/v1/instances/:name/repos', async (c) => {
      const instance = name(c);
      const input = parseInput(AddRepoInput, await jsonBody(c), 'body');
      const body: AddRepoAccepted = await startAddRepo(deps, instance, input, requestedBy(c));
      return c.json(body, 202);
    })
    .post('/v1/instances/:name/repos/:id/pull', async (c) => {
      const instance = name(c);
      const repo = id(c);
      const input = parseInput(PullRepoInput, await optionalJsonBody(c), 'body');
      const body: JobAccepted = {
        job: await startPullRepo(deps, instance, repo, input, requestedBy(c)),
      };
      return c.json(body, 202);
    })
    .delete('/v1/instances/:name/repos/:id', async (c) => {
      await removeRepo(deps, name(c), id(c));
      const body: RepoRemoved = { ok: true };
      return c.json(body);
    });
}

/** The JSON body, or `{}` when there is none (a pull needs no options). */
async function optionalJsonBody(c: Context<AgentEnv>): Promise<unknown> {
  const length = c.req.header('content-length');
  if (length === '0' || (length === undefined && c.req.raw.body === null)) return {};
  const body = await jsonBody(c);
  if (body === null)
    throw new AgentError('bad_request', 400, 'The request body must be a JSON object');
  return body;
}
