import type { OdooUser } from '@ordo/protocol';
import type pg from 'pg';

/**
 * Active internal users: `share` is Odoo's stored "not an internal user" flag (portal and
 * public users have it); `IS NOT TRUE` because rows older than the field may hold NULL.
 */
export async function activeInternalUsers(client: pg.Client): Promise<OdooUser[]> {
  const result = await client.query<{ id: number; login: string; name: string | null }>(
    `SELECT u.id, u.login, p.name
       FROM res_users u LEFT JOIN res_partner p ON p.id = u.partner_id
      WHERE u.active IS TRUE AND u.share IS NOT TRUE
      ORDER BY lower(coalesce(p.name, u.login)), u.id`,
  );
  return result.rows.map((row) => ({ id: row.id, login: row.login, name: row.name ?? row.login }));
}

export interface OdooUserState {
  id: number;
  login: string;
  active: boolean;
  share: boolean;
}

export async function findOdooUser(client: pg.Client, uid: number): Promise<OdooUserState | null> {
  const result = await client.query<{
    id: number;
    login: string;
    active: boolean | null;
    share: boolean | null;
  }>('SELECT id, login, active, share FROM res_users WHERE id = $1', [uid]);
  const row = result.rows[0];
  if (row === undefined) return null;
  return { id: row.id, login: row.login, active: row.active === true, share: row.share === true };
}
