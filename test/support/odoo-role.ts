import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { testPostgresUrl } from './test-database';

export interface OdooRole {
  name: string;
  /** A URL logging in as the role, for ORDO_AGENT_PG_URL. */
  url: string;
  /** Drops every database the role owns, then the role. */
  drop(): Promise<void>;
}

/**
 * Creates a throw-away PostgreSQL role `ordo_e2e_<random>` with LOGIN CREATEDB: Odoo (and the
 * stand-in) refuse to run as `postgres`, and an agent creates instance databases as this role.
 */
export async function createOdooRole(): Promise<OdooRole> {
  const name = `ordo_e2e_${randomBytes(5).toString('hex')}`;
  await withAdmin((client) => client.query(`CREATE ROLE "${name}" LOGIN CREATEDB`));
  const url = new URL(testPostgresUrl());
  url.username = name;
  url.password = '';
  url.pathname = '/postgres';
  return {
    name,
    url: url.toString(),
    drop: () =>
      withAdmin(async (client) => {
        const owned = await client.query<{ datname: string }>(
          'SELECT datname FROM pg_database WHERE datdba = (SELECT oid FROM pg_roles WHERE rolname = $1)',
          [name],
        );
        for (const { datname } of owned.rows) {
          // FORCE: a killed instance may leave a connection behind.
          await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
        }
        await client.query(`DROP ROLE IF EXISTS "${name}"`);
      }),
  };
}

async function withAdmin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testPostgresUrl() });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}
