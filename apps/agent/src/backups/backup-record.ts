import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Backup, BACKUP_ID_PATTERN } from '@ordo/protocol';
import { AgentError } from '../errors';
import { writeFileAtomic } from '../system/write-file-atomic';
import { backupPaths, backupsDir } from './backup-paths';

export async function writeBackupRecord(root: string, backup: Backup): Promise<void> {
  await writeFileAtomic(
    backupPaths(root, backup.instance, backup.id).record,
    `${JSON.stringify(backup, null, 2)}\n`,
  );
}

/** The instance's finished backups, newest first; unreadable records are skipped. */
export async function listBackups(root: string, instance: string): Promise<Backup[]> {
  const dir = backupsDir(root, instance);
  const names = await readdir(dir).catch(() => [] as string[]);
  const ids = names
    .filter((name) => name.endsWith('.json'))
    .map((name) => name.slice(0, -'.json'.length))
    .filter((id) => BACKUP_ID_PATTERN.test(id));
  const backups = await Promise.all(ids.map((id) => readRecord(join(dir, `${id}.json`))));
  return backups
    .filter((backup): backup is Backup => backup !== null)
    .sort((a, b) => b.id.localeCompare(a.id));
}

async function readRecord(path: string): Promise<Backup | null> {
  try {
    const parsed = Backup.safeParse(JSON.parse(await readFile(path, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Finds a backup by id across instances; 404 naming it when there is none. */
export async function requireBackup(root: string, id: string): Promise<Backup> {
  if (!BACKUP_ID_PATTERN.test(id)) {
    throw new AgentError('bad_request', 400, 'Backup id must look like b_0m8k2q3x1_4f9a0b2c7d');
  }
  const instances = await readdir(join(root, 'backups')).catch(() => [] as string[]);
  for (const instance of instances) {
    const found = await readRecord(backupPaths(root, instance, id).record);
    if (found !== null) return found;
  }
  throw new AgentError('not_found', 404, `No backup ${id} on this server`);
}

export async function deleteBackup(root: string, backup: Backup): Promise<void> {
  const paths = backupPaths(root, backup.instance, backup.id);
  // The record goes first: a backup without a record is never listed, one without a ZIP would be.
  await rm(paths.record, { force: true });
  await rm(paths.zip, { force: true });
}
