import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Backup } from '@ordo/protocol';
import type { InstanceDeps } from '../instances/instance-deps';
import { instancePaths } from '../instances/instance-paths';
import type { InstanceRecord } from '../instances/instance-record';
import { withPg } from '../postgres/pg-target';
import { pgToolsEnv } from '../postgres/pg-tools-env';
import { backupPaths, newBackupId } from './backup-paths';
import { writeBackupRecord } from './backup-record';
import { odooManifest } from './odoo-manifest';
import { writeBackupZip } from './write-backup-zip';

export type BackupDeps = Pick<InstanceDeps, 'root' | 'pg' | 'env' | 'now'>;

/** `<data_dir>/filestore/<db>`, Odoo's `config.filestore(db)`. */
export function filestoreDir(root: string, instance: string, database: string): string {
  return join(instancePaths(root, instance).data, 'filestore', database);
}

/** Backs the instance up while it runs (pg_dump is consistent on its own) and records it. */
export async function createBackup(
  deps: BackupDeps,
  record: InstanceRecord,
  options: { signal: AbortSignal; requestedBy: string | null; log: (line: string) => void },
): Promise<Backup> {
  const createdAt = deps.now();
  const id = newBackupId(createdAt);
  const paths = backupPaths(deps.root, record.name, id);
  await mkdir(paths.dir, { recursive: true, mode: 0o750 });
  const manifest = await withPg(
    deps.pg,
    (client) => odooManifest(client, { database: record.database, version: record.version }),
    record.database,
  );
  options.log(`Backing up the database ${record.database} and its filestore into ${id}.zip`);
  const written = await writeBackupZip({
    database: record.database,
    filestoreDir: filestoreDir(deps.root, record.name, record.database),
    manifest,
    partialPath: paths.partial,
    finalPath: paths.zip,
    env: pgToolsEnv(deps.env, deps.pg),
    signal: options.signal,
  });
  const backup: Backup = {
    id,
    instance: record.name,
    createdAt: createdAt.toISOString(),
    size: written.size,
    sha256: written.sha256,
    requestedBy: options.requestedBy,
  };
  await writeBackupRecord(deps.root, backup);
  options.log(`Backup ${id}: ${written.size} bytes, sha256 ${written.sha256}`);
  return backup;
}
