import type pg from 'pg';

/**
 * manifest.json as Odoo's `dump_db_manifest` writes it: this key order, indent 4, `pg_version`
 * "<major>.0" for PostgreSQL 10+, modules of the installed `ir_module_module` rows.
 */
export async function odooManifest(
  client: pg.Client,
  input: { database: string; version: string },
): Promise<string> {
  const server = await client.query<{ server_version_num: string }>('SHOW server_version_num');
  const versionNum = Number(server.rows[0]?.server_version_num ?? '0');
  const major = Math.floor(versionNum / 100 / 100);
  const minor = Math.floor(versionNum / 100) % 100;
  const modules = await client.query<{ name: string; latest_version: string | null }>(
    "SELECT name, latest_version FROM ir_module_module WHERE state = 'installed' ORDER BY name",
  );
  const [first = '0', second = '0'] = input.version.split('-')[0]?.split('.') ?? [];
  const manifest = {
    odoo_dump: '1',
    db_name: input.database,
    version: input.version,
    version_info: [Number(first), Number(second), 0, 'final', 0, ''],
    major_version: `${first}.${second}`,
    pg_version: `${major}.${minor}`,
    modules: Object.fromEntries(modules.rows.map((row) => [row.name, row.latest_version])),
  };
  return JSON.stringify(manifest, null, 4);
}
