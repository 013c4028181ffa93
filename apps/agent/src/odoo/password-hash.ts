import { pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const pbkdf2Async = promisify(pbkdf2);

/** Odoo's rounds (passlib's default is 25 000; Odoo 16+ asks for 600 000). */
export const ODOO_PBKDF2_ROUNDS = 600_000;
const SALT_BYTES = 16;
const KEY_BYTES = 64;
const PREFIX = '$pbkdf2-sha512$';

/**
 * The passlib `pbkdf2_sha512` hash Odoo stores for the master password (odoo.conf admin_passwd)
 * and for users (res_users.password): `$pbkdf2-sha512$<rounds>$<salt>$<checksum>`, both in
 * passlib's "ab64" (standard base64 with "." for "+" and no padding). Async: 600 000 rounds
 * take a while and must not block the event loop.
 */
export async function hashOdooPassword(
  password: string,
  options: { rounds?: number; salt?: Buffer } = {},
): Promise<string> {
  const rounds = options.rounds ?? ODOO_PBKDF2_ROUNDS;
  const salt = options.salt ?? randomBytes(SALT_BYTES);
  const key = await pbkdf2Async(Buffer.from(password, 'utf8'), salt, rounds, KEY_BYTES, 'sha512');
  return `${PREFIX}${rounds}$${ab64Encode(salt)}$${ab64Encode(key)}`;
}

/** Whether `password` matches a `$pbkdf2-sha512$` hash (false for anything else). */
export async function verifyOdooPassword(password: string, hash: string): Promise<boolean> {
  const match = /^\$pbkdf2-sha512\$(\d+)\$([A-Za-z0-9./]+)\$([A-Za-z0-9./]+)$/.exec(hash);
  if (!match?.[1] || !match[2] || !match[3]) return false;
  const rounds = Number(match[1]);
  const expected = ab64Decode(match[3]);
  const key = await pbkdf2Async(
    Buffer.from(password, 'utf8'),
    ab64Decode(match[2]),
    rounds,
    expected.length,
    'sha512',
  );
  return key.length === expected.length && timingSafeEqual(key, expected);
}

function ab64Encode(data: Buffer): string {
  return data.toString('base64').replace(/=+$/, '').replace(/\+/g, '.');
}

function ab64Decode(text: string): Buffer {
  return Buffer.from(text.replace(/\./g, '+'), 'base64');
}
