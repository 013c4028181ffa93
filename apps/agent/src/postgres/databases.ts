import { escapeIdentifier } from 'pg';
import { withPg, type PgTarget } from './pg-target';

export async function databaseExists(target: PgTarget, name: string): Promise<boolean> {
  return withPg(target, async (client) => {
    const result = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    return (result.rowCount ?? 0) > 0;
  });
}

/** Drops the database even while Odoo still holds connections to it (PostgreSQL 13+). */
export async function dropDatabase(target: PgTarget, name: string): Promise<void> {
  await withPg(target, (client) =>
    client.query(`DROP DATABASE IF EXISTS ${escapeIdentifier(name)} WITH (FORCE)`),
  );
}

export class AdminUserError extends Error {
  override readonly name = 'AdminUserError';
}

/**
 * Gives Odoo's administrator (id 2, or the user whose login is `admin`) its login and password
 * hash, as Odoo's own password change would store them.
 */
export async function setAdminCredentials(
  target: PgTarget,
  database: string,
  login: string,
  passwordHash: string,
): Promise<void> {
  await withPg(
    target,
    async (client) => {
      const result = await client.query(
        `UPDATE res_users SET login = $1, password = $2, write_date = now() AT TIME ZONE 'UTC'
          WHERE id = (SELECT id FROM res_users WHERE id = 2 OR login = 'admin'
                       ORDER BY id = 2 DESC LIMIT 1)`,
        [login, passwordHash],
      );
      if (result.rowCount !== 1) {
        throw new AdminUserError('the database has no administrator user (id 2 or login "admin")');
      }
    },
    database,
  );
}
