import type { Migration } from 'kysely';
import * as initial from './202511230000_initial';

/**
 * Every migration, by name. A static map rather than Kysely's FileMigrationProvider, which reads
 * a directory that no longer exists once the app is bundled into dist/main.js.
 */
export const migrations: Record<string, Migration> = {
  '202511230000_initial': initial,
};
