import { Edition, InstanceName, InstanceType } from '@ordo/protocol';
import { z } from 'zod';

export const INSTANCE_RECORD_FILE = 'instance.json';

/**
 * The agent's own record of an instance, `<root>/instances/<name>/instance.json`. Only the
 * agent writes it; it is read back through this schema because disks and humans edit files.
 * Fields added after the first release have defaults so older records still read.
 */
export const InstanceRecord = z.object({
  name: InstanceName,
  version: z.string().min(1),
  edition: Edition,
  type: InstanceType,
  parent: InstanceName.nullable().default(null),
  database: z.string().min(1),
  httpPort: z.number().int().min(1).max(65535).nullable(),
  /** Public URL when a proxy publishes the instance; null when only reachable on httpPort. */
  url: z.string().nullable().default(null),
  createdAt: z.iso.datetime({ offset: true }),
  adminLogin: z.string().min(1).default('admin'),
  geventPort: z.number().int().min(1).max(65535).nullable().default(null),
  /** `provisioning` while its creation job runs; only then may the job undo it. */
  phase: z.enum(['provisioning', 'ready']).default('ready'),
  /** What the admin last asked for; the agent restores it after its own restart. */
  desiredState: z.enum(['running', 'stopped']).default('stopped'),
  /** Why the last start failed (Odoo never answered); cleared by a start or stop. */
  lastError: z.string().nullable().default(null),
});
export type InstanceRecord = z.infer<typeof InstanceRecord>;
