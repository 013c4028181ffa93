import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';

/**
 * The table the `ordo_connect` module reads, in the instance's own database: a link is bound
 * to that database. Only the token's hash is stored. Owned by Odoo's PostgreSQL role, which
 * the agent uses too.
 */
const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS ordo_login_link (
  token_hash text PRIMARY KEY,
  uid integer NOT NULL,
  expires_at timestamptz NOT NULL,
  created_by text
)`;

/** 32 random bytes, base64url: the secret part of the link (43 characters). */
export function newLinkToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * What the table keys a link by: SHA-256 of "<database>:<token>", hex. The database name makes
 * the row useless in any copy of the database (a clone taken while the link was fresh).
 */
export function linkTokenHash(database: string, token: string): string {
  return createHash('sha256').update(`${database}:${token}`, 'utf8').digest('hex');
}

/**
 * Stores a link that expires `ttlSeconds` from now by the database's clock (the one the module
 * compares with), dropping expired ones on the way; answers the expiry.
 */
export async function storeLoginLink(
  client: pg.Client,
  link: { tokenHash: string; uid: number; createdBy: string; ttlSeconds: number },
): Promise<Date> {
  await client.query('BEGIN');
  try {
    await client.query(CREATE_TABLE);
    await client.query('DELETE FROM ordo_login_link WHERE expires_at <= now()');
    const result = await client.query<{ expires_at: Date }>(
      `INSERT INTO ordo_login_link (token_hash, uid, expires_at, created_by)
       VALUES ($1, $2, now() + make_interval(secs => $3), $4)
       RETURNING expires_at`,
      [link.tokenHash, link.uid, link.ttlSeconds, link.createdBy],
    );
    await client.query('COMMIT');
    const row = result.rows[0];
    if (row === undefined) throw new Error('INSERT … RETURNING answered no row');
    return row.expires_at;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
