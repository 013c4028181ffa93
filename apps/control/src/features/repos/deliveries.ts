import type { z } from 'zod';
import type { RepoDeliveriesInput, WebhookDeliveryView } from '@ordo/protocol/panel';
import { listDeliveries } from '../../db/repositories/git-webhook-deliveries.repository';
import { listGitRepos } from '../../db/repositories/git-repos.repository';
import type { RepoDeps } from './deps';
import { toDeliveryView } from './internal';

export type DeliveriesFilter = z.output<typeof RepoDeliveriesInput>;

/** Webhook deliveries of the instance's repositories (or of one), newest first. */
export async function listRepoDeliveries(
  deps: Pick<RepoDeps, 'db'>,
  filter: DeliveriesFilter,
): Promise<WebhookDeliveryView[]> {
  const repos = await listGitRepos(deps.db, filter.serverId, filter.name);
  const repoIds = repos
    .map((repo) => repo.id)
    .filter((id) => filter.repoId === undefined || id === filter.repoId);
  const rows = await listDeliveries(deps.db, {
    repoIds,
    result: filter.result,
    limit: filter.limit,
  });
  return rows.map(toDeliveryView);
}
