import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { EmailKind } from '@ordo/protocol/panel';
import type { SecretBox } from '../../crypto/secret-box';
import { insertEmail } from '../../db/repositories/email-outbox.repository';
import type { Database } from '../../db/types';

export const EMAIL_POLICY = {
  maxAttempts: 5,
  /** Wait after the 1st, 2nd, 3rd… failed try (the last one repeats). */
  retryDelaysMs: [60_000, 4 * 60_000, 16 * 60_000, 60 * 60_000],
  /** A claim older than this belongs to a sender that died: the email is tried again. */
  leaseMs: 2 * 60_000,
} as const;

/** Kinds whose body holds a secret (a code, a link): the body is wiped once it is sent. */
const SENSITIVE_KINDS: ReadonlySet<EmailKind> = new Set(['mfa_code', 'password_reset']);

export function keepsBodyAfterSending(kind: string): boolean {
  return !SENSITIVE_KINDS.has(kind as EmailKind);
}

export interface OutboxDeps {
  db: Kysely<Database>;
  secretBox: SecretBox;
  logger?: Logger;
  now?: () => Date;
  emailWorker?: { wake(): void };
}

export interface QueuedEmail {
  kind: EmailKind;
  to: string;
  subject: string;
  text: string;
  /** The panel user who caused it, if any. */
  createdBy?: string | null;
}

/**
 * Puts an email in the PostgreSQL outbox and nudges the worker: the request that asked for it
 * never waits for an SMTP server. The outcome shows in the email history.
 */
export async function enqueueEmail(deps: OutboxDeps, email: QueuedEmail): Promise<string> {
  const now = deps.now?.() ?? new Date();
  const row = await insertEmail(deps.db, {
    kind: email.kind,
    to_address: email.to,
    subject: email.subject,
    body_ciphertext: deps.secretBox.encrypt(email.text),
    max_attempts: EMAIL_POLICY.maxAttempts,
    next_attempt_at: now,
    created_at: now,
    updated_at: now,
    created_by: email.createdBy ?? null,
  });
  deps.logger?.info({ emailId: row.id, kind: email.kind }, 'email queued');
  deps.emailWorker?.wake();
  return row.id;
}

/** The hook later features use to tell someone something by email (queued, retried, logged). */
export function notify(
  deps: OutboxDeps,
  kind: EmailKind,
  to: string,
  subject: string,
  body: string,
): Promise<string> {
  return enqueueEmail(deps, { kind, to, subject, text: body });
}

/** When a failed try should be retried, or null when it was the last one. */
export function nextAttemptAt(attempts: number, maxAttempts: number, now: Date): Date | null {
  if (attempts >= maxAttempts) return null;
  const delays = EMAIL_POLICY.retryDelaysMs;
  const delay = delays[Math.min(attempts, delays.length) - 1] ?? delays[0];
  return new Date(now.getTime() + delay);
}
