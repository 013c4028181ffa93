import { access, mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Edition } from '@ordo/protocol';
import type { Environment } from '../config';
import { JobFailure } from '../jobs/job-failure';
import type { JobContext } from '../jobs/job-runner';
import { ProcessStartError } from '../system/run-process';
import { writeFileAtomic } from '../system/write-file-atomic';
import { buildVenv, relocateVenv } from './build-venv';
import { cloneOdoo, headCommit } from './clone-odoo';
import { findPython } from './find-python';
import { formatSeries, pythonRangeFor } from './python-range';
import { redactUrl } from './redact-url';
import { partialVersionDir, VERSION_RECORD_FILE, versionDir } from './version-paths';
import { readVersionRecord, type VersionRecord } from './version-record';

export interface InstallVersionDeps {
  root: string;
  odooGitUrl: string;
  /** ORDO_PYTHON, or null to pick one. */
  python: string | null;
  env: Environment;
  now: () => Date;
}

// Share of the job each step stands for.
const CLONE = { from: 0, to: 0.5 };
const VENV = { from: 0.55, to: 0.95 };

/**
 * The `version.install` job: clone, pick a Python, build the virtualenv, then publish the
 * version by writing its record and renaming the build directory into place. Until that rename
 * nothing is installed; on any failure or cancel the build directory is removed.
 */
export async function installVersion(
  deps: InstallVersionDeps,
  input: { version: string; edition: Edition },
  context: JobContext,
): Promise<void> {
  const { version } = input;
  const partial = partialVersionDir(deps.root, version);
  const final = versionDir(deps.root, version);
  const checkout = join(partial, 'odoo');
  const step = (range: { from: number; to: number }) => (fraction: number) =>
    context.progress(range.from + (range.to - range.from) * fraction);

  context.log(`Installing Odoo ${version} (${input.edition})`);
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  try {
    await cloneOdoo({
      context,
      gitUrl: deps.odooGitUrl,
      version,
      destination: checkout,
      env: deps.env,
      onProgress: step(CLONE),
    });
    await access(join(checkout, 'odoo-bin')).catch(() => {
      throw new JobFailure(
        'not_odoo',
        `Branch ${version} of ${redactUrl(deps.odooGitUrl)} has no odoo-bin: it is not Odoo`,
      );
    });
    const commit = await headCommit(context, checkout, deps.env);

    const range = await pythonRangeFor(version, checkout);
    const python = await findPython({
      odooVersion: version,
      range,
      configured: deps.python,
      env: deps.env,
      signal: context.signal,
    });
    context.log(
      `Using Python ${python.version} (${python.path}); Odoo ${version} needs ` +
        `${formatSeries(range.min)}–${formatSeries(range.max)}`,
    );
    context.progress(VENV.from);

    const venv = join(partial, 'venv');
    await buildVenv({
      context,
      python: python.path,
      venvDir: venv,
      requirementsFile: join(checkout, 'requirements.txt'),
      env: deps.env,
      onProgress: step(VENV),
    });
    context.signal.throwIfAborted();

    await relocateVenv(venv, join(final, 'venv'));
    const record: VersionRecord = {
      version,
      edition: input.edition,
      python: python.version,
      pythonPath: python.path,
      commit,
      source: redactUrl(deps.odooGitUrl),
      installedAt: deps.now().toISOString(),
      jobId: context.jobId,
    };
    await writeFileAtomic(
      join(partial, VERSION_RECORD_FILE),
      `${JSON.stringify(record, null, 2)}\n`,
    );
    await publish(partial, final, version);
    context.log(`Installed Odoo ${version} in ${final}`);
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    if (error instanceof ProcessStartError) {
      throw new JobFailure('missing_program', `${error.message}: install it on this server`);
    }
    throw error;
  }
}

/** Renames the finished build into place; the last step, so it is all or nothing. */
async function publish(partial: string, final: string, version: string): Promise<void> {
  const existing = await readVersionRecord(final);
  if (existing.kind === 'installed') {
    throw new JobFailure('already_installed', `Odoo ${version} is already installed`);
  }
  // A directory without a record is not an installed version, only something left over.
  await rm(final, { recursive: true, force: true });
  await rename(partial, final);
}
