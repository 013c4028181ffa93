import { AddonsUploadResult, addonsUploadPath, type InstanceView } from '@ordo/protocol/panel';
import { uploadFile, type UploadProgress } from '../../api/upload';

/**
 * Sends a ZIP of modules to the instance through the control plane (streamed on to its agent),
 * reporting upload progress; resolves with the modules added and updated.
 */
export async function uploadAddons(
  instance: Pick<InstanceView, 'serverId' | 'name'>,
  file: File,
  onProgress: (progress: UploadProgress) => void,
  signal?: AbortSignal,
): Promise<AddonsUploadResult> {
  const answer = await uploadFile(addonsUploadPath(instance.serverId, instance.name), file, {
    contentType: 'application/zip',
    onProgress,
    ...(signal === undefined ? {} : { signal }),
  });
  return AddonsUploadResult.parse(answer);
}
