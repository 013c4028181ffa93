import { type Kysely, sql } from 'kysely';
import type { EmailOutboxRow, NewEmail } from '../account-types';
import type { Database } from '../types';

export function insertEmail(db: Kysely<Database>, email: NewEmail): Promise<EmailOutboxRow> {
  return db.insertInto('email_outbox').values(email).returningAll().executeTakeFirstOrThrow();
}

/**
 * Claims up to `limit` emails that are due (or whose sender died mid-send) for this worker:
 * `FOR UPDATE SKIP LOCKED` lets several control processes share one outbox without sending an
 * email twice; the claim lasts `leaseMs`.
 */
export async function claimDueEmails(
  db: Kysely<Database>,
  options: { now: Date; limit: number; leaseMs: number },
): Promise<EmailOutboxRow[]> {
  const leaseUntil = new Date(options.now.getTime() + options.leaseMs);
  const result = await sql<EmailOutboxRow>`
    UPDATE email_outbox
       SET status = 'sending', attempts = attempts + 1, locked_until = ${leaseUntil},
           updated_at = ${options.now}
     WHERE id IN (
       SELECT id FROM email_outbox
        WHERE (status = 'queued' AND next_attempt_at <= ${options.now})
           OR (status = 'sending' AND locked_until < ${options.now})
        ORDER BY next_attempt_at
        LIMIT ${options.limit}
        FOR UPDATE SKIP LOCKED)
    RETURNING *`.execute(db);
  return result.rows;
}

export async function markEmailSent(
  db: Kysely<Database>,
  id: string,
  outcome: { messageId: string; at: Date; keepBody: boolean },
): Promise<void> {
  await db
    .updateTable('email_outbox')
    .set({
      status: 'sent',
      sent_at: outcome.at,
      message_id: outcome.messageId,
      locked_until: null,
      last_error: null,
      updated_at: outcome.at,
      ...(outcome.keepBody ? {} : { body_ciphertext: null }),
    })
    .where('id', '=', id)
    .execute();
}

/** A failed try: back to the queue at `retryAt`, or `failed` for good when `retryAt` is null. */
export async function markEmailFailed(
  db: Kysely<Database>,
  id: string,
  outcome: { error: string; at: Date; retryAt: Date | null },
): Promise<void> {
  await db
    .updateTable('email_outbox')
    .set({
      status: outcome.retryAt === null ? 'failed' : 'queued',
      next_attempt_at: outcome.retryAt ?? outcome.at,
      last_error: outcome.error,
      locked_until: null,
      updated_at: outcome.at,
      ...(outcome.retryAt === null ? { body_ciphertext: null } : {}),
    })
    .where('id', '=', id)
    .execute();
}

export interface EmailFilter {
  status?: EmailOutboxRow['status'] | undefined;
  kind?: string | undefined;
  search?: string | undefined;
  limit: number;
}

/** Newest first. */
export function listEmails(db: Kysely<Database>, filter: EmailFilter): Promise<EmailOutboxRow[]> {
  let query = db.selectFrom('email_outbox').selectAll();
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
  if (filter.search !== undefined && filter.search !== '') {
    const needle = filter.search;
    query = query.where((eb) =>
      eb.or([
        eb(sql<number>`strpos(lower(to_address), lower(${needle}))`, '>', 0),
        eb(sql<number>`strpos(lower(subject), lower(${needle}))`, '>', 0),
      ]),
    );
  }
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
}
