import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { countUsers, insertUserIfAbsent } from '../../db/repositories/users.repository';
import type { Database } from '../../db/types';
import { hashPassword } from './password';

export const DEFAULT_ADMIN_EMAIL = 'admin@ordo.local';
// No look-alikes (0/O, 1/l/I), so the printed password survives being read off a screen.
const PASSWORD_ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const GENERATED_PASSWORD_LENGTH = 20;

export function generatePassword(length = GENERATED_PASSWORD_LENGTH): string {
  let password = '';
  for (let i = 0; i < length; i += 1) {
    password += PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)] ?? '';
  }
  return password;
}

export type BootstrapResult =
  { created: false } | { created: true; email: string; passwordGenerated: boolean };

/**
 * Creates the first admin when there is no user at all. A generated password goes to `print`
 * (stdout) exactly once and never to the structured log.
 */
export async function bootstrapAdmin(deps: {
  db: Kysely<Database>;
  logger: Logger;
  admin: { email: string | null; password: string | null };
  print?: (text: string) => void;
}): Promise<BootstrapResult> {
  const { db, logger } = deps;
  if ((await countUsers(db)) > 0) return { created: false };

  const email = deps.admin.email ?? DEFAULT_ADMIN_EMAIL;
  const passwordGenerated = deps.admin.password === null;
  const password = deps.admin.password ?? generatePassword();
  const inserted = await insertUserIfAbsent(db, {
    email,
    password_hash: await hashPassword(password),
    role: 'admin',
  });
  // Another process starting at the same moment won the race; it printed its own banner.
  if (inserted === undefined) return { created: false };

  logger.info({ email, passwordGenerated }, 'created the first admin account');
  if (passwordGenerated) {
    const print = deps.print ?? ((text: string) => process.stdout.write(text));
    print(adminBanner(email, password));
  }
  return { created: true, email, passwordGenerated };
}

function adminBanner(email: string, password: string): string {
  const line = '='.repeat(64);
  return [
    '',
    line,
    '  Ordo: first admin account created',
    `  email:    ${email}`,
    `  password: ${password}`,
    '  Keep it safe: it is shown only once and cannot be recovered.',
    line,
    '',
    '',
  ].join('\n');
}
