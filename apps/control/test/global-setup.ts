import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../src/db/database';
import { migrateToLatest } from '../src/db/migrate';
import { adminQuery, databaseUrl, quoteIdent } from './helpers/pg-admin';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDatabase: string;
  }
}

/** One migrated template per run; a random name keeps concurrent runs apart. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const name = `ordo_test_template_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${quoteIdent(name)}`);
  const database = openDatabase(databaseUrl(name));
  try {
    await migrateToLatest(database.db);
  } finally {
    await database.close();
  }
  // Cloning needs the template idle: no test ever connects to it.
  project.provide('templateDatabase', name);
  return async () => {
    await adminQuery(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  };
}
