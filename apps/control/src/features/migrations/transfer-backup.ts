import { createHash } from 'node:crypto';
import type { AgentClient, Backup, RestoreAccepted } from '@ordo/protocol';
import { MigrationFailure } from './migration-failure';

/** The whole upload and its restore queueing; big backups on slow links take hours. */
const TRANSFER_TIMEOUT_MS = 12 * 60 * 60 * 1000;

export interface TransferInput {
  source: AgentClient;
  target: AgentClient;
  backup: Backup;
  instance: string;
  requestedBy: string;
  signal: AbortSignal;
  /** Bytes passed through so far, as they pass. */
  onBytes?: (bytes: number) => void;
}

/**
 * Pipes the source agent's download of the backup straight into the target agent's restore
 * upload: nothing is written on the control plane and memory holds one chunk at a time. The
 * bytes are counted and hashed on the way, and must match the backup's recorded size and
 * sha256. `copy=false`: it is a move, so the database keeps its uuid; no safety backup of the
 * empty database the target just created.
 */
export async function transferBackup(input: TransferInput): Promise<RestoreAccepted> {
  const download = await input.source.downloadBackup(input.backup.id, { signal: input.signal });
  if (download.body === null) {
    throw new MigrationFailure(`The download of backup ${input.backup.id} has no body`);
  }
  const hash = createHash('sha256');
  let bytes = 0;
  const counted = download.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        hash.update(chunk);
        bytes += chunk.byteLength;
        input.onBytes?.(bytes);
        controller.enqueue(chunk);
      },
    }),
  );
  const accepted = await input.target.restoreInstance(input.instance, counted, {
    query: { copy: 'false', safetyBackup: 'false' },
    requestedBy: input.requestedBy,
    timeoutMs: TRANSFER_TIMEOUT_MS,
  });
  const sha256 = hash.digest('hex');
  if (bytes !== input.backup.size || sha256 !== input.backup.sha256) {
    // The target accepted a different file than the one recorded: stop its restore.
    await input.target.cancelJob(accepted.job.id).catch(() => undefined);
    throw new MigrationFailure(
      `The backup changed in transit (${bytes} bytes, sha256 ${sha256}; expected ${input.backup.size} bytes, sha256 ${input.backup.sha256})`,
    );
  }
  return accepted;
}
