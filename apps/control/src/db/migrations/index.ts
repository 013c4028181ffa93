import type { Migration } from 'kysely';
import * as initial from './202511230000_initial';
import * as jobsAndSecrets from './202512010000_jobs_and_secrets';
import * as accountsAndSecurity from './202512050000_accounts_and_security';
import * as metrics from './202512100000_metrics';
import * as gitRepos from './202512200000_git_repos';
import * as serverMigrations from './202512210000_server_migrations';

/**
 * Every migration, by name. A static map rather than Kysely's FileMigrationProvider, which reads
 * a directory that no longer exists once the app is bundled into dist/main.js.
 */
export const migrations: Record<string, Migration> = {
  '202511230000_initial': initial,
  '202512010000_jobs_and_secrets': jobsAndSecrets,
  '202512050000_accounts_and_security': accountsAndSecurity,
  '202512100000_metrics': metrics,
  '202512200000_git_repos': gitRepos,
  '202512210000_server_migrations': serverMigrations,
};
