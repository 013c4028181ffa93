import { randomBytes, randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { AddRepoPanelInput, AddRepoResult } from '@ordo/protocol/panel';
import { isUniqueViolation } from '../../db/pg-errors';
import {
  deleteGitRepo,
  findGitRepoByUrl,
  insertGitRepo,
} from '../../db/repositories/git-repos.repository';
import { findInstance } from '../../db/repositories/instances.repository';
import type { GitRepoRow } from '../../db/repos-types';
import { ConflictError } from '../../errors';
import { instanceNotFound } from '../instances/list';
import type { Requester } from '../jobs/deps';
import { getJob } from '../jobs/list';
import { callServerAgent } from '../servers/call-agent';
import type { RepoDeps } from './deps';
import { toRepoView } from './internal';
import { recordRepoJob } from './pull-scheduler';

export type AddRepoData = z.output<typeof AddRepoPanelInput>;

/** 32 random bytes, as hex: what GitHub and GitLab get as the webhook secret. */
const WEBHOOK_SECRET_BYTES = 32;

function alreadyAdded(input: AddRepoData, cause?: unknown): ConflictError {
  return new ConflictError(
    `Instance "${input.name}" already has ${input.url} (branch ${input.branch})`,
    { cause },
  );
}

/**
 * Records the repository (token and a new webhook secret encrypted), then asks the agent to
 * clone it. The record exists first, claimed as "pulling": a push that arrives during the clone
 * waits for it. When the agent refuses, the record goes again.
 */
export async function addRepo(
  deps: RepoDeps,
  input: AddRepoData,
  requester: Requester,
): Promise<AddRepoResult> {
  if ((await findInstance(deps.db, input.serverId, input.name)) === undefined) {
    throw instanceNotFound(input.name);
  }
  const key = {
    serverId: input.serverId,
    instanceName: input.name,
    url: input.url,
    branch: input.branch,
  };
  if ((await findGitRepoByUrl(deps.db, key)) !== undefined) throw alreadyAdded(input);
  const now = deps.now?.() ?? new Date();
  const row: GitRepoRow = {
    id: randomUUID(),
    server_id: input.serverId,
    instance_name: input.name,
    url: input.url,
    branch: input.branch,
    token_ciphertext: input.token === undefined ? null : deps.secretBox.encrypt(input.token),
    webhook_secret_ciphertext: deps.secretBox.encrypt(
      randomBytes(WEBHOOK_SECRET_BYTES).toString('hex'),
    ),
    created_by_user_id: requester.userId,
    created_by: requester.email,
    created_at: now,
    pull_job_id: null,
    pull_claimed_at: now,
    pull_pending: false,
  };
  try {
    await insertGitRepo(deps.db, row);
  } catch (error) {
    if (isUniqueViolation(error)) throw alreadyAdded(input, error);
    throw error;
  }
  let accepted;
  try {
    accepted = await callServerAgent(deps, input.serverId, (client) =>
      client.addRepo(
        input.name,
        {
          id: row.id,
          url: input.url,
          branch: input.branch,
          ...(input.token === undefined ? {} : { token: input.token }),
        },
        { requestedBy: requester.email },
      ),
    );
  } catch (error) {
    await deleteGitRepo(deps.db, row.id);
    throw error;
  }
  await recordRepoJob(deps, row, accepted.job, requester);
  deps.logger.info(
    {
      repoId: row.id,
      serverId: input.serverId,
      instance: input.name,
      branch: input.branch,
      privateRepo: input.token !== undefined,
      jobId: accepted.job.id,
      by: requester.email,
    },
    'repository clone started',
  );
  const job = await getJob(deps, accepted.job.id);
  return {
    job,
    repo: toRepoView(
      { ...row, pull_job_id: job.id, pull_claimed_at: null },
      {
        publicUrl: deps.publicUrl,
        agentRepo: accepted.repo,
        agentState: 'present',
        activeJob: job,
      },
    ),
  };
}
