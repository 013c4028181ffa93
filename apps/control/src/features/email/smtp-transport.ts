import { createTransport } from 'nodemailer';
import type { SecretBox } from '../../crypto/secret-box';
import type { StoredSmtp } from '../settings/smtp-settings';

/** Bounded so a dead server fails a check or a send in seconds, not in nodemailer's 2 minutes. */
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 };

export type SmtpTransport = ReturnType<typeof createSmtpTransport>;

/** The connection settings as nodemailer wants them (password decrypted here, nowhere else). */
export function createSmtpTransport(
  settings: Pick<StoredSmtp, 'host' | 'port' | 'security' | 'user' | 'passwordCiphertext'>,
  secretBox: SecretBox,
) {
  const pass =
    settings.passwordCiphertext === null ? '' : secretBox.decrypt(settings.passwordCiphertext);
  return createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.security === 'ssl',
    requireTLS: settings.security === 'starttls',
    ignoreTLS: settings.security === 'none',
    ...(settings.user === '' ? {} : { auth: { user: settings.user, pass } }),
    ...TIMEOUTS,
  });
}

function field(error: unknown, name: string): string | number | undefined {
  if (typeof error !== 'object' || error === null || !(name in error)) return undefined;
  const value: unknown = Reflect.get(error, name);
  return typeof value === 'string' || typeof value === 'number' ? value : undefined;
}

/**
 * What went wrong with the SMTP server, in words an administrator can act on, keeping the
 * server's own reply (e.g. "535 5.7.8 Authentication credentials invalid").
 */
export function describeSmtpError(error: unknown, target: { host: string; port: number }): string {
  const where = `${target.host}:${target.port}`;
  const code = field(error, 'code');
  const response = field(error, 'response');
  const message = error instanceof Error ? error.message : String(error);
  const reply = typeof response === 'string' && response !== '' ? response : message;
  if (message.includes('ECONNREFUSED')) return `Connection refused by ${where}: check the port`;
  if (message.includes('ENOTFOUND') || code === 'EDNS') {
    return `Cannot find the SMTP server ${target.host}: check the host name`;
  }
  switch (typeof code === 'string' ? code : '') {
    case 'EAUTH':
      return `The SMTP server refused the user or password: ${reply}`;
    case 'ENOAUTH':
      return 'The SMTP server asks for a user and password';
    case 'ETIMEDOUT':
      return `No answer from ${where} in time: check the host, the port and the firewall`;
    case 'ETLS':
      return `TLS failed with ${where}: ${message}`;
    case 'EENVELOPE':
      return `The SMTP server refused the sender or the recipient: ${reply}`;
    case 'EMESSAGE':
      return `The SMTP server refused the message: ${reply}`;
    default:
      break;
  }
  if (/certificate|self.signed|SSL|wrong version number/i.test(message)) {
    return `TLS failed with ${where}: ${message} (check the security setting for this port)`;
  }
  return `SMTP error with ${where}: ${reply}`;
}
