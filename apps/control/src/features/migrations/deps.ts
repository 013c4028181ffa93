import type { MigrationStep } from '@ordo/protocol/panel';
import type { JobDeps } from '../jobs/deps';

/** Seams for tests: called after each step of an instance's move succeeded. */
export interface MigrationHooks {
  afterStep?: (step: MigrationStep, instance: string) => Promise<void>;
}

export interface MigrationDeps extends JobDeps {
  migrationHooks?: MigrationHooks | undefined;
}
