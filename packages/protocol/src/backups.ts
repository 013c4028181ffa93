import { z } from 'zod';
import { InstanceName } from './instances';
import { Job } from './jobs';

/**
 * Backup ids: `b_` + the creation time in ms (base 36, 9 digits) + `_` + 10 random base-36
 * characters. Safe as a file name by construction; agents check every id they are given.
 */
export const BACKUP_ID_PATTERN = /^b_[0-9a-z]{9}_[0-9a-z]{10}$/;

export const BackupId = z
  .string()
  .regex(BACKUP_ID_PATTERN, 'Backup id must look like b_0m8k2q3x1_4f9a0b2c7d');
export type BackupId = z.infer<typeof BackupId>;

/** A finished backup: a ZIP in Odoo's format (dump.sql, manifest.json, filestore/). */
export const Backup = z.object({
  id: BackupId,
  instance: InstanceName,
  createdAt: z.iso.datetime({ offset: true }),
  /** Bytes of the ZIP. */
  size: z.number().int().nonnegative(),
  /** Hex SHA-256 of the ZIP. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Who asked for it; the agent names itself for the safety backup taken before a restore. */
  requestedBy: z.string().nullable().optional(),
});
export type Backup = z.infer<typeof Backup>;

/** `GET /v1/instances/:name/backups`: newest first. */
export const BackupList = z.object({ backups: z.array(Backup) });
export type BackupList = z.infer<typeof BackupList>;

/** `DELETE /v1/backups/:id`. */
export const BackupDeleted = z.object({ ok: z.literal(true) });
export type BackupDeleted = z.infer<typeof BackupDeleted>;

const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
    .optional()
    .transform((value) => (value === undefined ? fallback : value === 'true' || value === '1'));

/**
 * Query of `POST /v1/instances/:name/restore` (body: the raw ZIP or custom-format `.dump`).
 * `copy`: the database is a copy (new uuid, secret, create date, as Odoo's "I copied it").
 */
export const RestoreQuery = z.object({
  neutralize: flag(false),
  /** Give the Odoo administrator a new generated password, returned once in the 202 answer. */
  resetAdminPassword: flag(false),
  safetyBackup: flag(true),
  copy: flag(false),
});
export type RestoreQuery = z.input<typeof RestoreQuery>;

/** The 202 answer of a restore: the job, and the new admin password when one was asked for. */
export const RestoreAccepted = z.object({
  job: Job,
  adminPassword: z.string().nullable(),
});
export type RestoreAccepted = z.infer<typeof RestoreAccepted>;

/** `POST /v1/instances/:name/clone`: the staging instance's name. */
export const CloneInstanceInput = z.object({ name: InstanceName });
export type CloneInstanceInput = z.infer<typeof CloneInstanceInput>;

/** `POST /v1/instances/:name/addons` answer: module names, sorted. */
export const AddonsUploaded = z.object({
  added: z.array(z.string()),
  updated: z.array(z.string()),
});
export type AddonsUploaded = z.infer<typeof AddonsUploaded>;
