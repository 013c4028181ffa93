import type { InstallVersionInput, Job } from '@ordo/protocol';
import { AgentError } from '../errors';
import type { JobRunner } from '../jobs/job-runner';
import { installVersion, type InstallVersionDeps } from './install-version';
import { versionDir } from './version-paths';
import { readVersionRecord } from './version-record';

export interface StartVersionInstallDeps extends InstallVersionDeps {
  runner: JobRunner;
}

/** Checks that the install makes sense, then runs it as a `version.install` job. */
export async function startVersionInstall(
  deps: StartVersionInstallDeps,
  input: InstallVersionInput,
  requestedBy: string | null = null,
): Promise<Job> {
  const { version } = input;
  if (input.edition === 'enterprise') {
    throw new AgentError(
      'bad_request',
      400,
      'Install the Community edition first, then upgrade it to Enterprise',
    );
  }
  const existing = await readVersionRecord(versionDir(deps.root, version));
  if (existing.kind === 'installed') {
    throw new AgentError('conflict', 409, `Odoo ${version} is already installed`);
  }

  return deps.runner.enqueue({
    kind: 'version.install',
    target: version,
    requestedBy,
    conflictMessage: (running) =>
      `Version ${version} is already being installed (job ${running.id})`,
    handler: (context) => installVersion(deps, input, context),
  });
}
