import type { Kysely } from 'kysely';
import { z } from 'zod';
import { SmtpSecurity, type SmtpSettingsView, SmtpStatus } from '@ordo/protocol/panel';
import { readSetting, writeSetting } from '../../db/repositories/settings.repository';
import type { Database } from '../../db/types';

export const SMTP_SETTING_KEY = 'smtp';

/** How the SMTP settings are stored (jsonb); read back through this schema. */
export const StoredSmtp = z.object({
  host: z.string(),
  port: z.number().int(),
  security: SmtpSecurity,
  user: z.string(),
  /** Secret box output, or null when the server needs no password. */
  passwordCiphertext: z.string().nullable(),
  fromAddress: z.string(),
  fromName: z.string(),
  status: SmtpStatus,
  statusReason: z.string().nullable(),
  checkedAt: z.string().nullable(),
});
export type StoredSmtp = z.infer<typeof StoredSmtp>;

/** The stored SMTP settings, or null before the first save (or if the row is unreadable). */
export async function loadSmtpSettings(db: Kysely<Database>): Promise<StoredSmtp | null> {
  const value = await readSetting(db, SMTP_SETTING_KEY);
  if (value === undefined) return null;
  const parsed = StoredSmtp.safeParse(value);
  return parsed.success ? parsed.data : null;
}

export async function storeSmtpSettings(
  db: Kysely<Database>,
  settings: StoredSmtp,
  updatedBy: string | null,
  at: Date,
): Promise<void> {
  await writeSetting(db, { key: SMTP_SETTING_KEY, value: settings, updatedBy, at });
}

export function toSmtpView(settings: StoredSmtp | null): SmtpSettingsView {
  if (settings === null) {
    return {
      host: '',
      port: 587,
      security: 'starttls',
      user: '',
      passwordSet: false,
      fromAddress: '',
      fromName: 'Ordo',
      status: 'not_configured',
      statusReason: 'SMTP has not been set up yet',
      checkedAt: null,
    };
  }
  const { passwordCiphertext, ...rest } = settings;
  return { ...rest, passwordSet: passwordCiphertext !== null };
}

/** Email 2FA and mailed links need a server that passed its last check. */
export async function isSmtpConfigured(db: Kysely<Database>): Promise<boolean> {
  return (await loadSmtpSettings(db))?.status === 'configured';
}
