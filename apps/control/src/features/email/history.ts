import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { EmailKind, type EmailListInput, EmailStatus, type EmailView } from '@ordo/protocol/panel';
import type { EmailOutboxRow } from '../../db/account-types';
import { listEmails } from '../../db/repositories/email-outbox.repository';
import type { Database } from '../../db/types';

export function toEmailView(row: EmailOutboxRow): EmailView {
  const kind = EmailKind.safeParse(row.kind);
  return {
    id: row.id,
    to: row.to_address,
    subject: row.subject,
    kind: kind.success ? kind.data : 'notification',
    status: EmailStatus.parse(row.status),
    error: row.last_error,
    attempts: row.attempts,
    createdAt: row.created_at.toISOString(),
    sentAt: row.sent_at?.toISOString() ?? null,
    nextAttemptAt: row.status === 'queued' ? row.next_attempt_at.toISOString() : null,
  };
}

/** The Email history tab: newest first, with the filters of the input. */
export async function listEmailHistory(
  deps: { db: Kysely<Database> },
  input: z.output<typeof EmailListInput>,
): Promise<EmailView[]> {
  const rows = await listEmails(deps.db, input);
  return rows.map(toEmailView);
}
