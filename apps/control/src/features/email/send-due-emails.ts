import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { EmailOutboxRow } from '../../db/account-types';
import {
  claimDueEmails,
  markEmailFailed,
  markEmailSent,
} from '../../db/repositories/email-outbox.repository';
import { loadSmtpSettings, type StoredSmtp } from '../settings/smtp-settings';
import { EMAIL_POLICY, keepsBodyAfterSending, nextAttemptAt, type OutboxDeps } from './outbox';
import { createSmtpTransport, describeSmtpError, type SmtpTransport } from './smtp-transport';

const BATCH = 20;

export const SMTP_NOT_CONFIGURED = 'SMTP is not configured: set it up in Settings';

/**
 * Sends every email that is due, one batch at a time; returns how many were tried. Each
 * outcome (sent, or the server's reason and the next try) is written back to the outbox.
 */
export async function sendDueEmails(deps: OutboxDeps & { logger: Logger }): Promise<number> {
  const now = deps.now?.() ?? new Date();
  const claimed = await claimDueEmails(deps.db, {
    now,
    limit: BATCH,
    leaseMs: EMAIL_POLICY.leaseMs,
  });
  if (claimed.length === 0) return 0;

  const settings = await loadSmtpSettings(deps.db);
  let transport: SmtpTransport | null = null;
  try {
    if (settings !== null) transport = createSmtpTransport(settings, deps.secretBox);
    for (const email of claimed) {
      await sendOne(deps, email, settings, transport);
    }
  } finally {
    transport?.close();
  }
  return claimed.length;
}

async function sendOne(
  deps: OutboxDeps & { logger: Logger },
  email: EmailOutboxRow,
  settings: StoredSmtp | null,
  transport: SmtpTransport | null,
): Promise<void> {
  const fail = async (reason: string) => {
    const at = deps.now?.() ?? new Date();
    const retryAt = nextAttemptAt(email.attempts, email.max_attempts, at);
    await markEmailFailed(deps.db, email.id, { error: reason, at, retryAt });
    deps.logger.warn(
      { emailId: email.id, kind: email.kind, attempts: email.attempts, retryAt, reason },
      retryAt === null ? 'email failed for good' : 'email failed, will retry',
    );
  };
  if (settings === null || transport === null) return fail(SMTP_NOT_CONFIGURED);
  if (email.body_ciphertext === null) return fail('The message body is gone');

  try {
    const text = deps.secretBox.decrypt(email.body_ciphertext);
    const info = await transport.sendMail({
      from: { name: settings.fromName, address: settings.fromAddress },
      to: email.to_address,
      subject: email.subject,
      text,
      date: deps.now?.() ?? new Date(),
      messageId: `<${randomUUID()}@${domainOf(settings.fromAddress)}>`,
    });
    const at = deps.now?.() ?? new Date();
    await markEmailSent(deps.db, email.id, {
      messageId: info.messageId,
      at,
      keepBody: keepsBodyAfterSending(email.kind),
    });
    deps.logger.info({ emailId: email.id, kind: email.kind }, 'email sent');
  } catch (error) {
    await fail(describeSmtpError(error, settings));
  }
}

function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? 'ordo.local' : address.slice(at + 1);
}
