import { z } from 'zod';
import { BackupId, RestoreQuery } from '../backups';
import { InstanceRef } from './instances';
import { JobView } from './jobs';

/** A backup of an instance as the panel lists it. */
export const BackupView = z.object({
  id: BackupId,
  serverId: z.string(),
  instance: z.string(),
  createdAt: z.string(),
  /** Bytes of the ZIP. */
  size: z.number().int().nonnegative(),
  /** Hex SHA-256 of the ZIP, as the agent recorded it when it wrote the file. */
  sha256: z.string(),
  /** Who asked for it (a panel user's email, or the agent for a restore's safety backup). */
  requestedBy: z.string().nullable(),
});
export type BackupView = z.infer<typeof BackupView>;

/** `backups.list` answer: newest first. */
export const BackupListResult = z.array(BackupView);
export type BackupListResult = z.infer<typeof BackupListResult>;

/** `backups.create` answer: the `backup.create` job, mirrored like every agent job. */
export const CreateBackupResult = z.object({ job: JobView });
export type CreateBackupResult = z.infer<typeof CreateBackupResult>;

/** `backups.remove` input: one backup of one instance. */
export const BackupRef = InstanceRef.extend({ backupId: BackupId });
export type BackupRef = z.input<typeof BackupRef>;

/** Restore options as the panel sends them in the query of the restore upload. */
export const RestoreOptions = z.object({
  neutralize: z.boolean(),
  resetAdminPassword: z.boolean(),
  safetyBackup: z.boolean(),
  copy: z.boolean(),
});
export type RestoreOptions = z.infer<typeof RestoreOptions>;

/** The query of the control plane's restore route: the agent's, passed through as is. */
export const RestoreUploadQuery = RestoreQuery;

/**
 * Answer of `POST /api/servers/:serverId/instances/:name/restore`: the `backup.restore` job, and
 * the new admin password when one was asked for (also stored, so the panel can reveal it again).
 */
export const RestoreUploadResult = z.object({
  job: JobView,
  adminPassword: z.string().nullable(),
});
export type RestoreUploadResult = z.infer<typeof RestoreUploadResult>;

const segment = encodeURIComponent;

/** Where the panel downloads a backup: a streamed ZIP, session cookie required. */
export function backupDownloadPath(ref: { serverId: string; name: string; backupId: string }) {
  return `/api/servers/${segment(ref.serverId)}/instances/${segment(ref.name)}/backups/${segment(ref.backupId)}/download`;
}

/** Where the panel uploads a backup to restore (raw body), with the options as the query. */
export function restoreUploadPath(
  ref: { serverId: string; name: string },
  options: RestoreOptions,
): string {
  const query = new URLSearchParams({
    neutralize: String(options.neutralize),
    resetAdminPassword: String(options.resetAdminPassword),
    safetyBackup: String(options.safetyBackup),
    copy: String(options.copy),
  });
  return `/api/servers/${segment(ref.serverId)}/instances/${segment(ref.name)}/restore?${query.toString()}`;
}
