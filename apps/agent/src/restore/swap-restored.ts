import { mkdir, rename, rm } from 'node:fs/promises';
import { JobFailure } from '../jobs/job-failure';
import type { InstanceDeps } from '../instances/instance-deps';
import { runtimeInstance } from '../instances/instance-paths';
import { requireInstance } from '../instances/require-instance';
import { healthUrl, waitForOdoo } from '../instances/wait-for-odoo';
import { dropDatabase } from '../postgres/databases';
import { reason } from '../postgres/pg-target';
import { renameDatabase } from './restore-database';
import { removeJournal, writeJournal, type RestoreJournal } from './restore-journal';
import { undoRestore } from './undo-restore';

/**
 * Stops the instance, swaps the restored database and filestore in by renames and starts it
 * again when it was running. When anything fails (a rename, Odoo not answering), the
 * original database and filestore are renamed back and the instance restarted as before.
 * Only after Odoo answered on the restored data are the originals dropped.
 */
export async function swapRestored(
  deps: InstanceDeps,
  journal: RestoreJournal,
  log: (line: string) => void,
): Promise<void> {
  await deps.locks.run(journal.instance, async () => {
    const record = await requireInstance(deps, journal.instance);
    const instance = runtimeInstance(deps.root, record);
    const wasRunning = record.desiredState === 'running';
    const startAgain = async () => {
      if (!wasRunning) return;
      await deps.runtime.start(instance);
      await waitForOdoo({
        runtime: deps.runtime,
        instance,
        url: healthUrl(deps.instanceHost, record),
        timeoutMs: deps.healthTimeoutMs,
      });
    };

    // An absent filestore becomes an empty one, so that the swap is always two renames.
    await mkdir(journal.filestore, { recursive: true, mode: 0o750 });
    await writeJournal(deps.root, { ...journal, stage: 'swapping' });
    try {
      log('Stopping the instance and swapping the restored database and filestore in');
      await deps.runtime.stop(instance);
      await renameDatabase(deps.pg, journal.database, journal.oldDatabase);
      await renameDatabase(deps.pg, journal.tempDatabase, journal.database);
      await rename(journal.filestore, journal.oldFilestore);
      await rename(journal.tempFilestore, journal.filestore);
      if (wasRunning) log('Starting the instance on the restored data');
      await startAgain();
    } catch (error) {
      log(`Putting the original database and filestore back: ${reason(error)}`);
      await deps.runtime.stop(instance).catch(() => {});
      await undoRestore(deps.pg, journal);
      await removeJournal(deps.root, journal.instance);
      await startAgain().catch((startError: unknown) =>
        log(`The instance did not start again on its original data: ${reason(startError)}`),
      );
      throw new JobFailure(
        'restore_swap_failed',
        `The restored data could not be put in place (${reason(error)}); ` +
          'the instance keeps its original database and filestore',
      );
    }
    await removeJournal(deps.root, journal.instance);
    log('Dropping the previous database and filestore');
    await dropDatabase(deps.pg, journal.oldDatabase).catch((error: unknown) =>
      log(`Could not drop ${journal.oldDatabase}: ${reason(error)}`),
    );
    await rm(journal.oldFilestore, { recursive: true, force: true });
  });
}
