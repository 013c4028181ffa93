import type { GitRepo } from '@ordo/protocol';
import {
  type JobView,
  type RepoAgentState,
  RepoView,
  WebhookDeliveryView,
} from '@ordo/protocol/panel';
import type { Kysely } from 'kysely';
import { findGitRepo } from '../../db/repositories/git-repos.repository';
import type { GitRepoRow, GitWebhookDeliveryRow } from '../../db/repos-types';
import type { Database } from '../../db/types';
import { NotFoundError } from '../../errors';

export const REPO_NOT_FOUND = 'No such repository on this instance: it may have been removed';

/** The repository, if it belongs to that instance (the permission check was on the instance). */
export async function getRepoOfInstance(
  db: Kysely<Database>,
  ref: { serverId: string; name: string; repoId: string },
): Promise<GitRepoRow> {
  const row = await findGitRepo(db, ref.repoId);
  if (row === undefined || row.server_id !== ref.serverId || row.instance_name !== ref.name) {
    throw new NotFoundError(REPO_NOT_FOUND);
  }
  return row;
}

export function webhookPath(repoId: string): string {
  return `/hooks/git/${repoId}`;
}

/** ORDO_PUBLIC_URL + the path; null without it (the panel then uses its own origin). */
export function webhookUrl(publicUrl: string | null, repoId: string): string | null {
  if (publicUrl === null) return null;
  return publicUrl.replace(/\/+$/, '') + webhookPath(repoId);
}

export function toRepoView(
  row: GitRepoRow,
  extra: {
    publicUrl: string | null;
    agentRepo: GitRepo | undefined;
    agentState: RepoAgentState;
    activeJob: JobView | null;
  },
): RepoView {
  const { agentRepo } = extra;
  return RepoView.parse({
    id: row.id,
    serverId: row.server_id,
    instanceName: row.instance_name,
    url: row.url,
    branch: row.branch,
    hasToken: row.token_ciphertext !== null,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
    webhookPath: webhookPath(row.id),
    webhookUrl: webhookUrl(extra.publicUrl, row.id),
    agentState: extra.agentState,
    commit: agentRepo?.commit ?? null,
    lastPullAt: agentRepo?.lastPullAt ?? null,
    lastPull: agentRepo?.lastPull ?? null,
    path: agentRepo?.path ?? null,
    activeJob: extra.activeJob,
    pullQueued: row.pull_pending,
  });
}

export function toDeliveryView(row: GitWebhookDeliveryRow): WebhookDeliveryView {
  return WebhookDeliveryView.parse({
    id: row.id,
    repoId: row.repo_id,
    receivedAt: row.received_at.toISOString(),
    provider: row.provider,
    event: row.event,
    deliveryId: row.delivery_id,
    ref: row.ref,
    commit: row.commit_sha,
    result: row.result,
    httpStatus: row.http_status,
    message: row.message,
    jobId: row.job_id,
  });
}
