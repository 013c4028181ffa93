import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** A new backup id (see BACKUP_ID_PATTERN): later backups sort after earlier ones. */
export function newBackupId(now: Date): string {
  const time = now.getTime().toString(36).padStart(9, '0');
  const random = [...randomBytes(10)].map((byte) => ALPHABET[byte % 36]).join('');
  return `b_${time}_${random}`;
}

/** `<root>/backups/<instance>`: the instance's ZIPs and their records. */
export function backupsDir(root: string, instance: string): string {
  return join(root, 'backups', instance);
}

export function backupPaths(root: string, instance: string, id: string) {
  const dir = backupsDir(root, instance);
  return {
    dir,
    zip: join(dir, `${id}.zip`),
    partial: join(dir, `${id}.zip.partial`),
    record: join(dir, `${id}.json`),
  };
}

/** Odoo's download name: `<db>_<UTC %Y-%m-%d_%H-%M-%S>.zip`. */
export function downloadName(database: string, createdAt: Date): string {
  const stamp = createdAt.toISOString().slice(0, 19).replace('T', '_').replaceAll(':', '-');
  return `${database}_${stamp}.zip`;
}
