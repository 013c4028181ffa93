import { readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { JobFailure } from '../jobs/job-failure';
import type { JobContext } from '../jobs/job-runner';
import type { InstanceDeps } from '../instances/instance-deps';
import { gitSshCommand } from '../ssh-key/ssh-options';
import { ProcessStartError } from '../system/run-process';
import { writeFileAtomic } from '../system/write-file-atomic';
import { cloneOdoo, headCommit } from './clone-odoo';
import { addEnterpriseToInstances } from './enterprise-addons-path';
import { redactUrl } from './redact-url';
import {
  enterpriseDir,
  partialEnterpriseDir,
  VERSION_RECORD_FILE,
  versionDir,
} from './version-paths';
import { readVersionRecord, type VersionRecord } from './version-record';

export interface UpgradeEnterpriseDeps {
  instances: InstanceDeps;
  /** ORDO_ENTERPRISE_GIT_URL, git@github.com:odoo/enterprise.git by default. */
  enterpriseGitUrl: string;
}

// Share of the job each step stands for; the rest is updating and restarting instances.
const CLONE = { from: 0, to: 0.8 };

/**
 * The `version.enterprise_upgrade` job: a shallow clone of the version's branch of the
 * Enterprise repository with the agent's key, renamed into `<version>/enterprise`, then the
 * version recorded as Enterprise and its instances given the modules (restarted if running).
 * Until the record is written nothing has changed: a failure removes the clone and the version
 * stays Community.
 */
export async function upgradeEnterprise(
  deps: UpgradeEnterpriseDeps,
  version: string,
  context: JobContext,
): Promise<void> {
  const { root, env } = deps.instances;
  const dir = versionDir(root, version);
  const partial = partialEnterpriseDir(root, version);
  const final = enterpriseDir(root, version);
  const source = redactUrl(deps.enterpriseGitUrl);
  context.log(`Adding the Enterprise modules to Odoo ${version}`);
  await rm(partial, { recursive: true, force: true });
  let published = false;
  try {
    await cloneOdoo({
      context,
      gitUrl: deps.enterpriseGitUrl,
      version,
      destination: partial,
      // git runs ssh through this variable; the key path never appears in git's arguments.
      env: { ...env, GIT_SSH_COMMAND: gitSshCommand(root) },
      onProgress: (fraction) => context.progress(CLONE.from + (CLONE.to - CLONE.from) * fraction),
    });
    const modules = await countModules(partial);
    if (modules === 0) {
      throw new JobFailure(
        'not_enterprise',
        `Branch ${version} of ${source} holds no Odoo module: it is not the Enterprise repository`,
      );
    }
    context.log(`${modules} Enterprise modules`);
    const commit = await headCommit(context, partial, env);
    context.signal.throwIfAborted();

    const current = await readVersionRecord(dir);
    if (current.kind !== 'installed') {
      throw new JobFailure('not_installed', `Odoo ${version} was removed meanwhile`);
    }
    // A leftover of an interrupted upgrade (the record still says Community) is replaced.
    await rm(final, { recursive: true, force: true });
    await rename(partial, final);
    published = true;
    const record: VersionRecord = {
      ...current.record,
      edition: 'enterprise',
      enterprise: {
        commit,
        source,
        addedAt: deps.instances.now().toISOString(),
        jobId: context.jobId,
      },
    };
    await writeFileAtomic(join(dir, VERSION_RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`);
    context.log(`Odoo ${version} is now Enterprise (${final})`);
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    if (published) await rm(final, { recursive: true, force: true });
    if (error instanceof ProcessStartError) {
      throw new JobFailure('missing_program', `${error.message}: install it on this server`);
    }
    throw error;
  }

  context.progress(CLONE.to);
  const failures = await addEnterpriseToInstances(deps.instances, version, final, context);
  if (failures.length > 0) {
    throw new JobFailure(
      'restart_failed',
      `Odoo ${version} is Enterprise now, but these instances did not restart: ` +
        `${failures.join('; ')}. Start them from their card once fixed.`,
    );
  }
  context.progress(1);
  context.log('Enterprise modules successfully added');
}

/** Top-level folders with an Odoo manifest. */
async function countModules(dir: string): Promise<number> {
  const entries = await readdir(dir, { withFileTypes: true });
  let count = 0;
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const manifest = join(dir, entry.name, '__manifest__.py');
    if (
      await stat(manifest).then(
        () => true,
        () => false,
      )
    )
      count += 1;
  }
  return count;
}
