import { Edition, InstanceName, InstanceType } from '@ordo/protocol';
import { z } from 'zod';

export const INSTANCE_RECORD_FILE = 'instance.json';

/**
 * The agent's own record of an instance, `<root>/instances/<name>/instance.json`. Only the
 * agent writes it; it is read back through this schema because disks and humans edit files.
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
});
export type InstanceRecord = z.infer<typeof InstanceRecord>;
