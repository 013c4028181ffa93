import pg from 'pg';

export const TEST_PG_URL =
  process.env.ORDO_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** URL of another database on the test server. */
export function databaseUrl(name: string): string {
  const url = new URL(TEST_PG_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs statements on the maintenance database (CREATE/DROP DATABASE cannot run in a pool tx). */
export async function adminQuery(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_PG_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Runs one query on the maintenance database and returns its rows. */
export async function adminRows<T extends Record<string, unknown>>(
  statement: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: TEST_PG_URL });
  await client.connect();
  try {
    const result = await client.query<T>(statement, values);
    return result.rows;
  } finally {
    await client.end();
  }
}
