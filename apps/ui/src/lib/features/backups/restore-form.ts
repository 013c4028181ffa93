import type { RestoreOptions } from '@ordo/protocol/panel';

/** What the agent restores: an Odoo ZIP (dump.sql + filestore/) or a custom-format `.dump`. */
export const RESTORE_ACCEPT = '.zip,.dump,application/zip';

/** A safety backup unless turned off; the database keeps its identity unless marked a copy. */
export function defaultRestoreOptions(): RestoreOptions {
  return { neutralize: false, resetAdminPassword: false, safetyBackup: true, copy: false };
}

/** Why the chosen file cannot be sent, or null when it can. */
export function checkRestoreFile(file: { name: string; size: number } | null): string | null {
  if (file === null) return 'Choose a backup file (.zip or .dump)';
  if (!/\.(zip|dump)$/i.test(file.name)) {
    return 'Choose an Odoo backup: a .zip (dump.sql and filestore) or a .dump file';
  }
  if (file.size === 0) return 'This file is empty';
  return null;
}

/** The restore replaces everything: it starts only once the instance's name is typed. */
export function isConfirmed(typed: string, instanceName: string): boolean {
  return typed.trim() === instanceName;
}

/** The Content-Type of the upload; the agent looks at the bytes, not the name. */
export function uploadContentType(fileName: string): string {
  return /\.zip$/i.test(fileName) ? 'application/zip' : 'application/octet-stream';
}
