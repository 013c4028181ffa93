import { z } from 'zod';

/** Instance names double as database names, directory names and unit names. */
export const INSTANCE_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export const InstanceName = z
  .string()
  .regex(
    INSTANCE_NAME_PATTERN,
    'Instance name must be 1-63 characters of lowercase letters, digits, "-" or "_", starting with a letter or digit',
  );
export type InstanceName = z.infer<typeof InstanceName>;

export const Edition = z.enum(['community', 'enterprise']);
export type Edition = z.infer<typeof Edition>;

export const InstanceType = z.enum(['production', 'staging']);
export type InstanceType = z.infer<typeof InstanceType>;

export const InstanceStatus = z.enum(['provisioning', 'running', 'stopped', 'error']);
export type InstanceStatus = z.infer<typeof InstanceStatus>;

/** An Odoo instance as the agent reports it. */
export const Instance = z.object({
  name: InstanceName,
  version: z.string(),
  edition: Edition,
  type: InstanceType,
  parent: InstanceName.nullable(),
  status: InstanceStatus,
  /** Why the instance is in `error`, in words an admin can act on. */
  statusReason: z.string().nullable().optional(),
  database: z.string(),
  httpPort: z.number().int().positive().nullable(),
  url: z.string().nullable(),
});
export type Instance = z.infer<typeof Instance>;

/** `GET /v1/instances`. */
export const InstanceList = z.object({ instances: z.array(Instance) });
export type InstanceList = z.infer<typeof InstanceList>;
