import { rename, rm, stat } from 'node:fs/promises';
import type { Logger } from 'pino';
import { databaseExists, dropDatabase } from '../postgres/databases';
import type { PgTarget } from '../postgres/pg-target';
import { renameDatabase } from './restore-database';
import { readJournal, removeJournal, type RestoreJournal } from './restore-journal';

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * Puts the original database and filestore back under their names, whatever step of the swap
 * was reached, and removes what the restore created. Safe to run twice.
 */
export async function undoRestore(pg: PgTarget, journal: RestoreJournal): Promise<void> {
  if (await databaseExists(pg, journal.oldDatabase)) {
    if (await databaseExists(pg, journal.database)) {
      // Both renames happened: the restored database holds the name; move it aside first.
      await dropDatabase(pg, journal.tempDatabase);
      await renameDatabase(pg, journal.database, journal.tempDatabase);
    }
    await renameDatabase(pg, journal.oldDatabase, journal.database);
  }
  await dropDatabase(pg, journal.tempDatabase);

  if (await exists(journal.oldFilestore)) {
    if (await exists(journal.filestore)) {
      await rm(journal.tempFilestore, { recursive: true, force: true });
      await rename(journal.filestore, journal.tempFilestore);
    }
    await rename(journal.oldFilestore, journal.filestore);
  }
  await rm(journal.tempFilestore, { recursive: true, force: true });
}

/** After a crash: undoes the interrupted restore of `instance` recorded in its journal. */
export async function recoverRestore(
  root: string,
  pg: PgTarget,
  instance: string,
  logger: Logger,
): Promise<void> {
  const journal = await readJournal(root, instance);
  if (journal === null) return;
  logger.warn({ instance, stage: journal.stage }, 'undoing a restore interrupted by a restart');
  await undoRestore(pg, journal);
  await removeJournal(root, instance);
}
