import { rm } from 'node:fs/promises';
import type { RestoreAccepted } from '@ordo/protocol';
import { generatePassword } from '../instances/generate-password';
import type { InstanceDeps } from '../instances/instance-deps';
import { requireReadyInstance } from '../instances/require-instance';
import { pgToolsEnv } from '../postgres/pg-tools-env';
import type { ZipLimits } from '../zip/zip-limits';
import { checkCustomDumpVersion, checkPlainDumpVersion } from './dump-version';
import { receiveUpload } from './receive-upload';
import { runRestoreJob, type RestoreOptions } from './restore-job';
import { openRestoreSource, type RestoreSource } from './restore-source';

const ADMIN_PASSWORD_LENGTH = 20;

export interface RestoreLimits {
  maxUploadBytes: number;
  zip: ZipLimits;
}

/**
 * Receives the upload and checks it (archive safety, dump present, PostgreSQL version) before
 * anything is touched; then queues the `backup.restore` job. Bad uploads are a 400 or 413.
 */
export async function startRestore(
  deps: InstanceDeps,
  limits: RestoreLimits,
  input: { name: string; request: Request; options: RestoreOptions; requestedBy: string | null },
): Promise<RestoreAccepted> {
  const record = await requireReadyInstance(deps, input.name, 'restore');
  const upload = await receiveUpload(deps.root, input.request, limits.maxUploadBytes);
  let source: RestoreSource | null = null;
  try {
    source = await openRestoreSource(upload, limits.zip);
    if (source.kind === 'zip') await checkPlainDumpVersion(source.zip, source.dump, deps.pg);
    else await checkCustomDumpVersion(upload, deps.pg, pgToolsEnv(deps.env, deps.pg));
    const checked = source;
    const adminPassword = input.options.resetAdminPassword
      ? generatePassword(ADMIN_PASSWORD_LENGTH)
      : null;
    const job = await deps.runner.enqueue({
      kind: 'backup.restore',
      target: input.name,
      requestedBy: input.requestedBy,
      conflictMessage: (running) =>
        `Instance ${input.name} is already being restored (job ${running.id})`,
      handler: (context) =>
        runRestoreJob(
          deps,
          {
            record,
            source: checked,
            options: input.options,
            requestedBy: input.requestedBy,
            adminPassword,
          },
          context,
        ),
    });
    return { job, adminPassword };
  } catch (error) {
    if (source?.kind === 'zip') source.zip.close();
    await rm(upload, { force: true });
    throw error;
  }
}
