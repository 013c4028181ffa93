import type { Kysely } from 'kysely';
import type {
  GitWebhookDeliveryRow,
  NewGitWebhookDelivery,
  WebhookResultColumn,
} from '../repos-types';
import type { Database } from '../types';

/** Deliveries kept per repository; older ones are pruned as new ones arrive. */
export const DELIVERIES_KEPT = 500;

/**
 * Stores the delivery; with a `replay_key` another delivery already holds, stores nothing and
 * answers null (the unique index decides, so two processes can never both accept a replay).
 */
export async function insertDelivery(
  db: Kysely<Database>,
  row: NewGitWebhookDelivery,
): Promise<string | null> {
  const inserted = await db
    .insertInto('git_webhook_deliveries')
    .values(row)
    .onConflict((oc) => oc.columns(['repo_id', 'replay_key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted?.id ?? null;
}

export async function updateDelivery(
  db: Kysely<Database>,
  id: string,
  changes: Partial<
    Pick<GitWebhookDeliveryRow, 'result' | 'http_status' | 'message' | 'job_id' | 'replay_key'>
  >,
): Promise<void> {
  await db.updateTable('git_webhook_deliveries').set(changes).where('id', '=', id).execute();
}

export function findDeliveryByReplayKey(
  db: Kysely<Database>,
  repoId: string,
  replayKey: string,
): Promise<GitWebhookDeliveryRow | undefined> {
  return db
    .selectFrom('git_webhook_deliveries')
    .selectAll()
    .where('repo_id', '=', repoId)
    .where('replay_key', '=', replayKey)
    .executeTakeFirst();
}

/** Keeps the newest {@link DELIVERIES_KEPT} of the repository. */
export async function pruneDeliveries(db: Kysely<Database>, repoId: string): Promise<void> {
  await db
    .deleteFrom('git_webhook_deliveries')
    .where('repo_id', '=', repoId)
    .where('id', 'not in', (eb) =>
      eb
        .selectFrom('git_webhook_deliveries')
        .select('id')
        .where('repo_id', '=', repoId)
        .orderBy('received_at', 'desc')
        .limit(DELIVERIES_KEPT),
    )
    .execute();
}

/** Newest first. */
export function listDeliveries(
  db: Kysely<Database>,
  filter: {
    repoIds: string[];
    result?: WebhookResultColumn | undefined;
    limit: number;
  },
): Promise<GitWebhookDeliveryRow[]> {
  if (filter.repoIds.length === 0) return Promise.resolve([]);
  let query = db
    .selectFrom('git_webhook_deliveries')
    .selectAll()
    .where('repo_id', 'in', filter.repoIds);
  if (filter.result !== undefined) query = query.where('result', '=', filter.result);
  return query.orderBy('received_at', 'desc').orderBy('id').limit(filter.limit).execute();
}
