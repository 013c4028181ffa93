import type { BackupView } from '@ordo/protocol/panel';
import { findInstance } from '../../db/repositories/instances.repository';
import type { JobDeps } from '../jobs/deps';
import { callServerAgent } from '../servers/call-agent';
import { backupFileName } from './file-name';
import { requireInstanceBackup } from './list';

export interface BackupDownload {
  backup: BackupView;
  /** The ZIP as the agent streams it; never read whole here. */
  body: ReadableStream<Uint8Array>;
  /** Bytes, from the agent's Content-Length (the record's size when it sent none). */
  size: number;
  fileName: string;
}

/**
 * Opens the backup's download on its agent. The caller passes `body` straight on to the browser;
 * `signal` (the browser going away) stops the agent's stream too.
 */
export async function openBackupDownload(
  deps: JobDeps,
  ref: { serverId: string; name: string; backupId: string },
  signal?: AbortSignal,
): Promise<BackupDownload> {
  const backup = await requireInstanceBackup(deps, ref);
  const response = await callServerAgent(deps, ref.serverId, (client) =>
    client.downloadBackup(ref.backupId, signal === undefined ? {} : { signal }),
  );
  if (response.body === null) throw new Error('the agent answered a download without a body');
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  const instance = await findInstance(deps.db, ref.serverId, ref.name);
  return {
    backup,
    body: response.body,
    size: Number.isSafeInteger(declared) ? declared : backup.size,
    fileName: backupFileName(instance?.database ?? ref.name, new Date(backup.createdAt)),
  };
}
