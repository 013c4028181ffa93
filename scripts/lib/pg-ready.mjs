// Exits 0 when the PostgreSQL at the given URL accepts a query (used before the tests start).
import { createRequire } from 'node:module';

const require = createRequire(new URL('../../apps/control/package.json', import.meta.url));
let pg;
try {
  pg = require('pg');
} catch {
  // Dependencies are not installed yet: fall back to a TCP probe of the port.
  const { connect } = await import('node:net');
  const url = new URL(process.argv[2]);
  const socket = connect(Number(url.port || 5432), url.hostname);
  socket.setTimeout(2000);
  socket.on('connect', () => process.exit(0));
  socket.on('error', () => process.exit(1));
  socket.on('timeout', () => process.exit(1));
}
if (pg) {
  const client = new pg.Client({
    connectionString: process.argv[2],
    connectionTimeoutMillis: 2000,
  });
  try {
    await client.connect();
    await client.query('select 1');
    await client.end();
    process.exit(0);
  } catch {
    process.exit(1);
  }
}
