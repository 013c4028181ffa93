export type { MigrationDeps, MigrationHooks } from './deps';
export { CONTROL_RESTARTED, failOrphanedMigrations } from './fail-orphaned';
export { startMigration } from './start-migration';
export { getMigration } from './view';
