import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Database } from './types';

export interface DatabaseHandle {
  db: Kysely<Database>;
  /** Ends the pool; the Kysely instance is unusable afterwards. */
  close(): Promise<void>;
}

export function openDatabase(url: string, logger?: Logger): DatabaseHandle {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client dropped by the server (restart, shutdown) must not crash the process.
  pool.on('error', (error) => {
    logger?.warn({ err: error }, 'idle database connection lost');
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, close: () => db.destroy() };
}
