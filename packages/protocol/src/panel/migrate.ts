import { z } from 'zod';
import { InstanceName, InstanceType } from '../instances';
import { JobId } from '../jobs';
import { JobView } from './jobs';

/** Most instances one migration moves; more is several migrations. */
export const MIGRATE_MAX_INSTANCES = 50;

/**
 * `servers.migrate` input: move these instances of the source server to the target server.
 * Staging instances move with their production (listed too) or to a target that has it already.
 */
export const MigrateInput = z
  .object({
    sourceServerId: z.uuid(),
    targetServerId: z.uuid(),
    instances: z
      .array(InstanceName)
      .min(1, 'Choose at least one instance to migrate')
      .max(MIGRATE_MAX_INSTANCES, `At most ${MIGRATE_MAX_INSTANCES} instances per migration`)
      .refine((names) => new Set(names).size === names.length, 'An instance is listed twice'),
  })
  .refine((input) => input.sourceServerId !== input.targetServerId, {
    path: ['targetServerId'],
    message: 'Choose a target server other than the source',
  });
export type MigrateInput = z.input<typeof MigrateInput>;

/** What one instance's move is doing, in order. */
export const MigrationStep = z.enum([
  'waiting',
  'checking',
  'backup',
  'creating',
  'transferring',
  'configuring',
  'starting',
  'stopping_source',
  'rolling_back',
  'done',
]);
export type MigrationStep = z.infer<typeof MigrationStep>;

export const MigrationItemState = z.enum(['pending', 'running', 'succeeded', 'failed']);
export type MigrationItemState = z.infer<typeof MigrationItemState>;

/** One instance of a migration. */
export const MigrationItem = z.object({
  name: InstanceName,
  type: InstanceType,
  /** A staging instance's production (moved first when it is part of the migration). */
  parent: InstanceName.nullable(),
  version: z.string(),
  state: MigrationItemState,
  step: MigrationStep,
  /** 0..1 within this instance's move. */
  progress: z.number().min(0).max(1),
  /** Why it failed, and what was done about it (the source keeps running). */
  error: z.string().nullable(),
});
export type MigrationItem = z.infer<typeof MigrationItem>;

/** `servers.migrate` answer and `servers.migration` view: the job and each instance's state. */
export const MigrationView = z.object({
  job: JobView,
  sourceServerId: z.string(),
  sourceServerName: z.string(),
  /** Null once the target server was deleted. */
  targetServerId: z.string().nullable(),
  targetServerName: z.string(),
  items: z.array(MigrationItem),
});
export type MigrationView = z.infer<typeof MigrationView>;

/** `servers.migration` input: the migration's job id. */
export const MigrationIdInput = z.object({ id: JobId });
export type MigrationIdInput = z.input<typeof MigrationIdInput>;
