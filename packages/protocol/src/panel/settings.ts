import { z } from 'zod';
import { Email } from './auth';

/** none: plain (local relays only); starttls: upgrade on 587; ssl: TLS from the start on 465. */
export const SmtpSecurity = z.enum(['none', 'starttls', 'ssl'], {
  error: 'Choose a security mode',
});
export type SmtpSecurity = z.infer<typeof SmtpSecurity>;

const HostName = z
  .string()
  .trim()
  .min(1, 'Enter the SMTP server')
  .max(253)
  .regex(/^[A-Za-z0-9.-]+$|^\[?[0-9a-fA-F:.]+\]?$/, 'Enter a host name such as smtp.example.com');

/** `settings.saveSmtp` input. A blank password keeps the stored one. */
export const SmtpSettingsInput = z.object({
  host: HostName,
  port: z.coerce
    .number({ error: 'Enter a port number' })
    .int('Enter a port number')
    .min(1, 'The port is between 1 and 65535')
    .max(65535, 'The port is between 1 and 65535'),
  security: SmtpSecurity,
  user: z.string().trim().max(254).default(''),
  password: z.string().max(1024).optional(),
  /** The sender address; most servers insist it is the user's own. */
  fromAddress: Email,
  fromName: z.string().trim().max(100).default('Ordo'),
});
export type SmtpSettingsInput = z.input<typeof SmtpSettingsInput>;

export const SmtpStatus = z.enum(['configured', 'not_configured']);
export type SmtpStatus = z.infer<typeof SmtpStatus>;

/** SMTP settings as the panel sees them: the password itself never leaves the control plane. */
export const SmtpSettingsView = z.object({
  host: z.string(),
  port: z.number().int(),
  security: SmtpSecurity,
  user: z.string(),
  passwordSet: z.boolean(),
  fromAddress: z.string(),
  fromName: z.string(),
  status: SmtpStatus,
  /** Why the last check failed, in the server's words; null when configured. */
  statusReason: z.string().nullable(),
  /** ISO timestamp of the last connection check; null before the first save. */
  checkedAt: z.string().nullable(),
});
export type SmtpSettingsView = z.infer<typeof SmtpSettingsView>;

/** `settings.testSmtp` input. */
export const SmtpTestInput = z.object({ to: Email });
export type SmtpTestInput = z.input<typeof SmtpTestInput>;

/** How many instances the fleet may hold; null = no limit. Shown as "quota used" on the Dashboard. */
export const InstanceQuota = z.object({
  maxInstances: z
    .number({ error: 'Enter a whole number of instances' })
    .int('Enter a whole number of instances')
    .min(1, 'The quota is at least 1 instance')
    .max(100_000, 'The quota is at most 100000 instances')
    .nullable(),
});
export type InstanceQuota = z.infer<typeof InstanceQuota>;
