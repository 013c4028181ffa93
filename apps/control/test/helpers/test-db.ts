import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { inject } from 'vitest';
import { openDatabase } from '../../src/db/database';
import type { Database } from '../../src/db/types';
import { adminQuery, databaseUrl, quoteIdent } from './pg-admin';

export interface TestDb {
  db: Kysely<Database>;
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database of its own (Immich's getKyselyDB): clone the template, drop after. */
export async function createTestDb(): Promise<TestDb> {
  const template = inject('templateDatabase');
  const name = `ordo_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${quoteIdent(name)} WITH TEMPLATE ${quoteIdent(template)}`);
  const url = databaseUrl(name);
  const handle = openDatabase(url);
  return {
    db: handle.db,
    name,
    url,
    async drop() {
      await handle.close();
      await adminQuery(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    },
  };
}
