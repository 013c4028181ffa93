import { z } from 'zod';

export const EmailKind = z.enum([
  'welcome',
  'password_reset',
  'mfa_code',
  'test',
  'message',
  'notification',
]);
export type EmailKind = z.infer<typeof EmailKind>;

/** queued: waiting (again, after a failed try); sending: being handed to SMTP; failed: gave up. */
export const EmailStatus = z.enum(['queued', 'sending', 'sent', 'failed']);
export type EmailStatus = z.infer<typeof EmailStatus>;

/** One line of the email history. The body is not shown: it may hold a code or a link. */
export const EmailView = z.object({
  id: z.string(),
  to: z.string(),
  subject: z.string(),
  kind: EmailKind,
  status: EmailStatus,
  /** The last failure, in the SMTP server's words. */
  error: z.string().nullable(),
  attempts: z.number().int().nonnegative(),
  /** ISO timestamps. */
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
});
export type EmailView = z.infer<typeof EmailView>;

export const EMAIL_LIST_MAX = 500;

/** `emails.list` input; newest first. `search` matches the recipient or the subject. */
export const EmailListInput = z
  .object({
    status: EmailStatus.optional(),
    kind: EmailKind.optional(),
    search: z.string().trim().max(200).optional(),
    limit: z.number().int().min(1).max(EMAIL_LIST_MAX).default(200),
  })
  .default({ limit: 200 });
export type EmailListInput = z.input<typeof EmailListInput>;
