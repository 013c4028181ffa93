import { rm } from 'node:fs/promises';
import { ODOO_VERSION_PATTERN } from '@ordo/protocol';
import type { JobRunner } from '../jobs/job-runner';
import { partialVersionDir } from './version-paths';

/** After a crash, an interrupted install leaves its build directory behind: remove it. */
export function registerVersionJobs(runner: JobRunner, root: string): void {
  runner.registerCleanup('version.install', async (job) => {
    if (!ODOO_VERSION_PATTERN.test(job.target)) return;
    await rm(partialVersionDir(root, job.target), { recursive: true, force: true });
  });
}
