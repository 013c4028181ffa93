import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { SmtpSettingsInput, SmtpSettingsView } from '@ordo/protocol/panel';
import type { SecretBox } from '../../crypto/secret-box';
import type { Database } from '../../db/types';
import { createSmtpTransport, describeSmtpError } from '../email/smtp-transport';
import { loadSmtpSettings, type StoredSmtp, storeSmtpSettings, toSmtpView } from './smtp-settings';

type SmtpInput = z.output<typeof SmtpSettingsInput>;

export interface SettingsDeps {
  db: Kysely<Database>;
  secretBox: SecretBox;
  logger: Logger;
  now?: () => Date;
}

/** Connects and authenticates (nodemailer `verify`); the reason is the server's when it fails. */
export async function checkSmtpConnection(
  settings: Pick<StoredSmtp, 'host' | 'port' | 'security' | 'user' | 'passwordCiphertext'>,
  secretBox: SecretBox,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const transport = createSmtpTransport(settings, secretBox);
  try {
    await transport.verify();
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: describeSmtpError(error, settings) };
  } finally {
    transport.close();
  }
}

/**
 * Stores the settings (a blank password keeps the stored one; a cleared user drops it) and
 * records the outcome of a live check: the badge shows it, email 2FA depends on it.
 */
export async function saveSmtpSettings(
  deps: SettingsDeps,
  input: SmtpInput,
  updatedBy: string | null,
): Promise<SmtpSettingsView> {
  const previous = await loadSmtpSettings(deps.db);
  let passwordCiphertext: string | null;
  if (input.user === '') passwordCiphertext = null;
  else if (input.password !== undefined && input.password !== '') {
    passwordCiphertext = deps.secretBox.encrypt(input.password);
  } else passwordCiphertext = previous?.passwordCiphertext ?? null;

  const connection = {
    host: input.host,
    port: input.port,
    security: input.security,
    user: input.user,
    passwordCiphertext,
  };
  const check = await checkSmtpConnection(connection, deps.secretBox);
  const now = deps.now?.() ?? new Date();
  const stored: StoredSmtp = {
    ...connection,
    fromAddress: input.fromAddress,
    fromName: input.fromName,
    status: check.ok ? 'configured' : 'not_configured',
    statusReason: check.ok ? null : check.reason,
    checkedAt: now.toISOString(),
  };
  await storeSmtpSettings(deps.db, stored, updatedBy, now);
  deps.logger.info(
    { host: input.host, port: input.port, configured: check.ok },
    'SMTP settings saved',
  );
  return toSmtpView(stored);
}

export async function getSmtpSettings(deps: { db: Kysely<Database> }): Promise<SmtpSettingsView> {
  return toSmtpView(await loadSmtpSettings(deps.db));
}
