import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { RestoreQuery } from '@ordo/protocol';
import { createBackup, filestoreDir } from '../backups/create-backup';
import { JobFailure } from '../jobs/job-failure';
import type { JobContext } from '../jobs/job-runner';
import type { InstanceDeps } from '../instances/instance-deps';
import type { InstanceRecord } from '../instances/instance-record';
import { hashOdooPassword } from '../odoo/password-hash';
import { setAdminCredentials } from '../postgres/databases';
import { reason } from '../postgres/pg-target';
import { pgToolsEnv } from '../postgres/pg-tools-env';
import { loadRestoreSource } from './load-restore-source';
import { neutralizeDatabase } from './neutralize';
import { createEmptyDatabase, markAsCopy } from './restore-database';
import { removeJournal, writeJournal, type RestoreJournal } from './restore-journal';
import type { RestoreSource } from './restore-source';
import { swapRestored } from './swap-restored';
import { undoRestore } from './undo-restore';

export type RestoreOptions = {
  [K in keyof Required<RestoreQuery>]: boolean;
};

export interface RestorePlan {
  record: InstanceRecord;
  source: RestoreSource;
  options: RestoreOptions;
  requestedBy: string | null;
  /** The administrator's new password when `resetAdminPassword`; only its hash is stored. */
  adminPassword: string | null;
}

/** Names for what the restore creates beside the instance's database and filestore. */
export function restoreJournal(deps: InstanceDeps, record: InstanceRecord, jobId: string) {
  const suffix = randomBytes(4).toString('hex');
  const filestore = filestoreDir(deps.root, record.name, record.database);
  const parent = dirname(filestore);
  const journal: RestoreJournal = {
    jobId,
    instance: record.name,
    database: record.database,
    tempDatabase: `${record.database.slice(0, 40)}_restore_${suffix}`,
    oldDatabase: `${record.database.slice(0, 44)}_old_${suffix}`,
    filestore,
    tempFilestore: join(parent, `.${record.database}.restore-${suffix}`),
    oldFilestore: join(parent, `.${record.database}.old-${suffix}`),
    stage: 'loading',
  };
  return journal;
}

/**
 * The `backup.restore` job: load into a new database and filestore, optionally mark as a copy
 * and neutralize, take a safety backup, then swap (see {@link swapRestored}). Until the swap
 * the instance is not touched; any failure drops what was created.
 */
export async function runRestoreJob(
  deps: InstanceDeps,
  plan: RestorePlan,
  context: JobContext,
): Promise<void> {
  const { record, source, options } = plan;
  const journal = restoreJournal(deps, record, context.jobId);
  try {
    await writeJournal(deps.root, journal);
    context.log(`Creating the database ${journal.tempDatabase}`);
    await createEmptyDatabase(deps.pg, journal.tempDatabase);
    context.progress(0.05);
    context.log(
      source.kind === 'zip'
        ? `Loading dump.sql and ${source.filestore.length} filestore files`
        : 'Loading the custom-format dump with pg_restore',
    );
    await loadRestoreSource({
      source,
      database: journal.tempDatabase,
      filestoreDir: journal.tempFilestore,
      env: pgToolsEnv(deps.env, deps.pg),
      signal: context.signal,
    }).catch((error: unknown) => {
      if (context.signal.aborted) throw error;
      throw new JobFailure(
        'restore_load_failed',
        `The backup could not be loaded: ${reason(error)}`,
      );
    });
    context.progress(0.6);
    if (options.copy) {
      context.log('Giving the copy a new database uuid and secret');
      await markAsCopy(deps.pg, journal.tempDatabase);
    }
    if (plan.adminPassword !== null) {
      context.log(`Setting a new password for the Odoo administrator (${record.adminLogin})`);
      const hash = await hashOdooPassword(plan.adminPassword);
      await setAdminCredentials(deps.pg, journal.tempDatabase, record.adminLogin, hash).catch(
        (error: unknown) => {
          throw new JobFailure(
            'admin_user_failed',
            `Cannot reset the administrator: ${reason(error)}`,
          );
        },
      );
    }
    if (options.neutralize) await neutralizeDatabase(deps, record, journal.tempDatabase, context);
    context.progress(0.7);
    if (options.safetyBackup) {
      context.log('Taking a safety backup of the current data');
      await createBackup(deps, record, {
        signal: context.signal,
        requestedBy: `safety backup before restore ${context.jobId}`,
        log: (line) => context.log(line),
      }).catch((error: unknown) => {
        if (context.signal.aborted) throw error;
        throw new JobFailure('safety_backup_failed', `The safety backup failed: ${reason(error)}`);
      });
    }
    context.progress(0.85);
    context.signal.throwIfAborted();
  } catch (error) {
    context.log('Removing the partly restored database and filestore');
    await undoRestore(deps.pg, journal).catch((undoError: unknown) =>
      context.log(`Cleanup incomplete: ${reason(undoError)}`),
    );
    await removeJournal(deps.root, record.name);
    throw error;
  } finally {
    if (source.kind === 'zip') source.zip.close();
    await rm(source.path, { force: true });
  }
  await swapRestored(deps, journal, (line) => context.log(line));
  context.log(`Instance ${record.name} now runs on the restored data`);
}
