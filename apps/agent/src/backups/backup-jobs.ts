import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { InstanceName } from '@ordo/protocol';
import type { JobRunner } from '../jobs/job-runner';
import { backupsDir } from './backup-paths';

/** After a crash, an interrupted backup leaves its `.partial` ZIP behind: remove it. */
export function registerBackupJobs(runner: JobRunner, root: string): void {
  runner.registerCleanup('backup.create', async (job) => {
    if (!InstanceName.safeParse(job.target).success) return;
    const dir = backupsDir(root, job.target);
    const names = await readdir(dir).catch(() => [] as string[]);
    await Promise.all(
      names
        .filter((name) => name.endsWith('.zip.partial'))
        .map((name) => rm(join(dir, name), { force: true })),
    );
  });
}
