import {
  backupDownloadPath,
  restoreUploadPath,
  RestoreUploadResult,
  type BackupView,
  type InstanceView,
  type JobView,
  type RestoreOptions,
} from '@ordo/protocol/panel';
import { api } from '../../api/trpc';
import { handleError } from '../../handle-error';
import { toastManager } from '../../state/toasts.svelte';
import { uploadContentType } from './restore-form';
import { uploadFile, type UploadProgress } from '../../api/upload';

type InstanceRef = Pick<InstanceView, 'serverId' | 'name'>;

const refOf = (instance: InstanceRef) => ({ serverId: instance.serverId, name: instance.name });

/** The instance's backups, newest first; `null` when they could not be read (toast shown). */
export async function handleListBackups(instance: InstanceRef): Promise<BackupView[] | null> {
  try {
    return await api.backups.list.query(refOf(instance));
  } catch (error) {
    handleError(error, `Could not list the backups of ${instance.name}`);
    return null;
  }
}

/** Starts a backup job; `null` when the agent refused (toast shown). */
export async function handleCreateBackup(instance: InstanceRef): Promise<JobView | null> {
  try {
    const { job } = await api.backups.create.mutate(refOf(instance));
    return job;
  } catch (error) {
    handleError(error, `Could not back up ${instance.name}`);
    return null;
  }
}

export async function handleDeleteBackup(
  instance: InstanceRef,
  backup: Pick<BackupView, 'id'>,
): Promise<boolean> {
  try {
    await api.backups.remove.mutate({ ...refOf(instance), backupId: backup.id });
  } catch (error) {
    handleError(error, 'Could not delete the backup');
    return false;
  }
  toastManager.show('success', 'Backup deleted');
  return true;
}

export function downloadUrl(instance: InstanceRef, backup: Pick<BackupView, 'id'>): string {
  return backupDownloadPath({ ...refOf(instance), backupId: backup.id });
}

/**
 * Has the browser download the backup: an anchor to the streamed route, whose answer names the
 * file (`<db>_<date>.zip`) and is saved to disk as it arrives, never held by the page.
 */
export function startDownload(instance: InstanceRef, backup: Pick<BackupView, 'id'>): void {
  const anchor = document.createElement('a');
  anchor.href = downloadUrl(instance, backup);
  anchor.download = '';
  anchor.rel = 'noopener';
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
}

/** Uploads the file with progress and starts the restore; errors are thrown for the dialog. */
export async function uploadRestore(
  instance: InstanceRef,
  file: File,
  options: RestoreOptions,
  onProgress: (progress: UploadProgress) => void,
  signal?: AbortSignal,
): Promise<RestoreUploadResult> {
  const answer = await uploadFile(restoreUploadPath(refOf(instance), options), file, {
    contentType: uploadContentType(file.name),
    onProgress,
    ...(signal === undefined ? {} : { signal }),
  });
  return RestoreUploadResult.parse(answer);
}
