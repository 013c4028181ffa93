import { randomUUID } from 'node:crypto';
import { escapeIdentifier, type Client } from 'pg';
import { withPg, type PgTarget } from '../postgres/pg-target';

/** Like Odoo's `_create_empty_database`: template0, unicode, C collation, pg_trgm. */
export async function createEmptyDatabase(target: PgTarget, name: string): Promise<void> {
  await withPg(target, (client) =>
    client.query(
      `CREATE DATABASE ${escapeIdentifier(name)} ENCODING 'unicode' LC_COLLATE 'C' TEMPLATE template0`,
    ),
  );
  await withPg(
    target,
    async (client) => {
      await client.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
      await client.query('GRANT CREATE ON SCHEMA PUBLIC TO PUBLIC');
    },
    name,
  );
}

/** Renames a database after closing every connection to it (Odoo holds some while stopping). */
export async function renameDatabase(target: PgTarget, from: string, to: string): Promise<void> {
  await withPg(target, async (client) => {
    await client.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [from],
    );
    await client.query(
      `ALTER DATABASE ${escapeIdentifier(from)} RENAME TO ${escapeIdentifier(to)}`,
    );
  });
}

/**
 * What Odoo's `ir.config_parameter.init(force=True)` does for a copied database: new uuid,
 * secret and creation date, so the copy is not taken for the original (odoo-facts §11).
 */
export async function markAsCopy(target: PgTarget, database: string): Promise<void> {
  const values: [string, string][] = [
    ['database.uuid', randomUUID()],
    ['database.secret', randomUUID()],
    ['database.create_date', new Date().toISOString().slice(0, 19).replace('T', ' ')],
  ];
  await withPg(target, (client) => setParameters(client, values), database);
}

export async function setParameters(
  client: Client,
  values: readonly (readonly [string, string])[],
): Promise<void> {
  for (const [key, value] of values) {
    const updated = await client.query(
      "UPDATE ir_config_parameter SET value = $2, write_date = now() AT TIME ZONE 'UTC' WHERE key = $1",
      [key, value],
    );
    if ((updated.rowCount ?? 0) === 0) {
      await client.query(
        "INSERT INTO ir_config_parameter (key, value, create_date, write_date) VALUES ($1, $2, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')",
        [key, value],
      );
    }
  }
}
