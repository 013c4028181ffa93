// Gives the local agent a PostgreSQL role it can run Odoo with: Odoo refuses the `postgres`
// superuser, so instances need a role with LOGIN CREATEDB. Prints the agent's PG URL.
// usage: node ensure-agent-role.mjs <superuser-url> <role> <password-file>
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const [adminUrl, role, passwordFile] = process.argv.slice(2);
if (!adminUrl || !role || !passwordFile || !/^[a-z_][a-z0-9_]*$/.test(role)) {
  console.error('usage: node ensure-agent-role.mjs <superuser-url> <role> <password-file>');
  process.exit(2);
}
const require = createRequire(new URL('../../apps/control/package.json', import.meta.url));
const pg = require('pg');

if (!existsSync(passwordFile)) {
  writeFileSync(passwordFile, randomBytes(24).toString('hex'), { mode: 0o600 });
}
const password = readFileSync(passwordFile, 'utf8').trim();

const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
await client.connect();
const exists = await client.query('select 1 from pg_roles where rolname = $1', [role]);
const verb = exists.rowCount === 0 ? 'CREATE' : 'ALTER';
// Identifiers and passwords cannot be bound parameters in DDL; both are checked/generated above.
await client.query(`${verb} ROLE "${role}" LOGIN CREATEDB PASSWORD '${password}'`);
await client.end();

const url = new URL(adminUrl);
url.username = role;
url.password = password;
url.pathname = '/postgres';
process.stdout.write(url.toString());
