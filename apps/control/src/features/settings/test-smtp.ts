import { ValidationError } from '../../errors';
import { enqueueEmail, type OutboxDeps } from '../email/outbox';
import { testEmail } from '../email/templates';
import { loadSmtpSettings } from './smtp-settings';

/** Queues a test email; the Email history shows whether it left. */
export async function sendTestEmail(
  deps: OutboxDeps & { panelUrl?: () => string },
  to: string,
  requestedBy: string | null,
): Promise<{ emailId: string }> {
  const settings = await loadSmtpSettings(deps.db);
  if (settings === null) {
    throw new ValidationError('Save the SMTP settings before sending a test email');
  }
  const content = testEmail({ panelUrl: deps.panelUrl?.() ?? 'the Ordo panel' });
  const emailId = await enqueueEmail(deps, {
    kind: 'test',
    to,
    subject: content.subject,
    text: content.text,
    createdBy: requestedBy,
  });
  return { emailId };
}
