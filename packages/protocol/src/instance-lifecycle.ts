import { z } from 'zod';
import { Edition, Instance, InstanceName, InstanceType } from './instances';
import { Job } from './jobs';
import { OdooVersion } from './versions';

/** Odoo logins are free text in Odoo; Ordo keeps them to one printable token. */
export const OdooLogin = z
  .string()
  .trim()
  .min(1, 'Enter the Odoo admin login')
  .max(128, 'The Odoo admin login is at most 128 characters')
  .regex(/^[^\s'"\\]+$/, 'The Odoo admin login may not contain spaces, quotes or backslashes');

/** `POST /v1/instances`: answered with 202 {@link CreateInstanceAccepted}. */
export const CreateInstanceInput = z
  .object({
    name: InstanceName,
    version: OdooVersion,
    edition: Edition.default('community'),
    adminLogin: OdooLogin.default('admin'),
    type: InstanceType.default('production'),
    parent: InstanceName.nullable().default(null),
  })
  .superRefine((input, ctx) => {
    if (input.type === 'staging' && input.parent === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['parent'],
        message: 'A staging instance needs its production parent',
      });
    }
    if (input.type === 'production' && input.parent !== null) {
      ctx.addIssue({
        code: 'custom',
        path: ['parent'],
        message: 'A production instance has no parent',
      });
    }
    if (input.parent !== null && input.parent === input.name) {
      ctx.addIssue({
        code: 'custom',
        path: ['parent'],
        message: 'An instance cannot be its own parent',
      });
    }
  });
export type CreateInstanceInput = z.input<typeof CreateInstanceInput>;

/**
 * The creation job plus the secrets generated for the instance. They are sent this once: the
 * agent keeps only Odoo's hashes, the control plane stores them encrypted.
 */
export const CreateInstanceAccepted = z.object({
  job: Job,
  /** Odoo master (database manager) password; odoo.conf holds its pbkdf2-sha512 hash. */
  masterPassword: z.string(),
  /** Password of the Odoo admin user (`adminLogin`). */
  adminPassword: z.string(),
});
export type CreateInstanceAccepted = z.infer<typeof CreateInstanceAccepted>;

/** `GET /v1/instances/:name`. */
export const InstanceDetail = Instance.extend({
  adminLogin: z.string(),
  geventPort: z.number().int().positive().nullable(),
  createdAt: z.string(),
  /** Processes the runtime reports for it (workers, cron, gevent …). */
  processes: z.array(
    z.object({ pid: z.number().int(), role: z.string(), rssBytes: z.number().nullable() }),
  ),
});
export type InstanceDetail = z.infer<typeof InstanceDetail>;

export const OdooLogLevel = z.enum(['debug', 'info', 'warn', 'error', 'critical']);
export type OdooLogLevel = z.infer<typeof OdooLogLevel>;

const seconds = (max: number) => z.number().int().min(0).max(max);

/**
 * The odoo.conf keys an admin may edit, in camelCase. Strict: an unknown key is refused by
 * name. Everything else in odoo.conf (ports, paths, db_*, admin_passwd, dbfilter) is Ordo's.
 */
export const InstanceConfigSettings = z
  .object({
    workers: z.number().int().min(0).max(64),
    maxCronThreads: z.number().int().min(0).max(32),
    limitMemorySoft: z
      .number()
      .int()
      .min(64 * 1024 * 1024),
    limitMemoryHard: z
      .number()
      .int()
      .min(64 * 1024 * 1024),
    limitTimeCpu: seconds(86_400),
    limitTimeReal: seconds(86_400),
    limitTimeRealCron: z.number().int().min(-1).max(86_400),
    limitRequest: z.number().int().min(1).max(1_000_000),
    dbMaxconn: z.number().int().min(1).max(1000),
    proxyMode: z.boolean(),
    logLevel: OdooLogLevel,
    withoutDemo: z.boolean(),
    /** Absolute directories added after Ordo's own addons paths. */
    extraAddonsPaths: z.array(
      z.string().regex(/^\/[^,\n]*$/, 'must be an absolute path without commas'),
    ),
  })
  .strict();
export type InstanceConfigSettings = z.infer<typeof InstanceConfigSettings>;

/** `PUT /v1/instances/:name/config` takes a subset of the settings; the instance restarts to apply it. */
export const InstanceConfigUpdate = InstanceConfigSettings.partial()
  .strict()
  .refine(
    (v) =>
      v.limitMemorySoft === undefined ||
      v.limitMemoryHard === undefined ||
      v.limitMemorySoft <= v.limitMemoryHard,
    { path: ['limitMemorySoft'], message: 'limitMemorySoft must not exceed limitMemoryHard' },
  );
export type InstanceConfigUpdate = z.infer<typeof InstanceConfigUpdate>;

/** `GET /v1/instances/:name/config` (and the answer of PUT). */
export const InstanceConfig = z.object({
  settings: InstanceConfigSettings,
  /** Keys Ordo manages, shown read-only. */
  managed: z.object({
    httpPort: z.number().int(),
    geventPort: z.number().int(),
    dataDir: z.string(),
    addonsPath: z.array(z.string()),
    dbName: z.string(),
    dbfilter: z.string(),
    listDb: z.boolean(),
    logfile: z.string(),
  }),
});
export type InstanceConfig = z.infer<typeof InstanceConfig>;

/** Odoo's log levels as they appear in log lines; the filter keeps lines at or above it. */
export const LogLineLevel = z.enum(['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL']);
export type LogLineLevel = z.infer<typeof LogLineLevel>;

/** `GET /v1/instances/:name/logs` query. Without `cursor`: the last `limit` lines. */
export const InstanceLogsQuery = z.object({
  level: LogLineLevel.optional(),
  /** Opaque; from a previous answer's `cursor`, to get only newer lines. */
  cursor: z
    .string()
    .regex(/^\d+(:\d+)?$/, 'cursor must come from a previous answer')
    .optional(),
  limit: z.coerce.number().int().min(1).max(2000).default(200),
});
export type InstanceLogsQuery = z.input<typeof InstanceLogsQuery>;

export const InstanceLogLine = z.object({
  /** Position of the line; stable while the file is not rotated. */
  offset: z.number().int().nonnegative(),
  time: z.string().nullable(),
  pid: z.number().int().nullable(),
  level: LogLineLevel.nullable(),
  database: z.string().nullable(),
  logger: z.string().nullable(),
  /** The message, with continuation lines (tracebacks) appended. */
  message: z.string(),
});
export type InstanceLogLine = z.infer<typeof InstanceLogLine>;

export const InstanceLogs = z.object({
  lines: z.array(InstanceLogLine),
  /** Pass back as `cursor` to get what was written after these lines. */
  cursor: z.string(),
});
export type InstanceLogs = z.infer<typeof InstanceLogs>;

/** Answer of start/stop/restart: the instance as it is after the action. */
export const InstanceActionResult = z.object({ instance: Instance });
export type InstanceActionResult = z.infer<typeof InstanceActionResult>;

/** Answer of `DELETE /v1/instances/:name`: everything of the instance is gone. */
export const InstanceDeleted = z.object({ ok: z.literal(true) });
export type InstanceDeleted = z.infer<typeof InstanceDeleted>;
