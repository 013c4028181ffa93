import { rm } from 'node:fs/promises';
import { ODOO_VERSION_PATTERN } from '@ordo/protocol';
import type { JobRunner } from '../jobs/job-runner';
import {
  enterpriseDir,
  partialEnterpriseDir,
  partialVersionDir,
  versionDir,
} from './version-paths';
import { readVersionRecord } from './version-record';

/** After a crash, an interrupted install leaves its build directory behind: remove it. */
export function registerVersionJobs(runner: JobRunner, root: string): void {
  runner.registerCleanup('version.install', async (job) => {
    if (!ODOO_VERSION_PATTERN.test(job.target)) return;
    await rm(partialVersionDir(root, job.target), { recursive: true, force: true });
  });
  // An interrupted Enterprise upgrade: its clone, and a checkout the record never took in.
  runner.registerCleanup('version.enterprise_upgrade', async (job) => {
    if (!ODOO_VERSION_PATTERN.test(job.target)) return;
    await rm(partialEnterpriseDir(root, job.target), { recursive: true, force: true });
    const record = await readVersionRecord(versionDir(root, job.target));
    if (record.kind === 'installed' && record.record.edition === 'community') {
      await rm(enterpriseDir(root, job.target), { recursive: true, force: true });
    }
  });
}
