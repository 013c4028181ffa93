import type { RestoreQuery } from '@ordo/protocol';
import type { RestoreUploadResult } from '@ordo/protocol/panel';
import { upsertInstanceSecrets } from '../../db/repositories/instance-secrets.repository';
import type { JobDeps, Requester } from '../jobs/deps';
import { recordJob } from '../jobs/record-job';
import { callServerAgent } from '../servers/call-agent';

/**
 * How long the agent may take to receive and check an upload before it answers. The body is
 * paced by the browser, so this bounds a stalled transfer, not a slow one (20 GiB at 10 MB/s
 * is about 35 minutes); a browser that goes away ends the upload at once anyway.
 */
const UPLOAD_TIMEOUT_MS = 6 * 60 * 60 * 1000;

export interface RestoreUpload {
  stream: ReadableStream<Uint8Array>;
  /** Set when the upload broke on this side (too large, sender gone): the agent is not at fault. */
  failure(): Error | null;
}

/**
 * Streams the uploaded backup straight into the agent's restore endpoint (nothing stored here),
 * which checks it before touching anything and starts a `backup.restore` job. The job is
 * mirrored like every other; a new admin password, when asked for, is stored encrypted like the
 * ones of instance creation so the panel can reveal it again.
 */
export async function restoreInstance(
  deps: JobDeps,
  ref: { serverId: string; name: string },
  upload: RestoreUpload,
  query: RestoreQuery,
  requester: Requester,
): Promise<RestoreUploadResult> {
  const accepted = await callServerAgent(deps, ref.serverId, async (client) => {
    try {
      return await client.restoreInstance(ref.name, upload.stream, {
        query,
        requestedBy: requester.email,
        timeoutMs: UPLOAD_TIMEOUT_MS,
      });
    } catch (error) {
      // Thrown as is: not the agent's failure, so the server is not marked unreachable.
      throw upload.failure() ?? error;
    }
  });
  const { job, adminPassword } = accepted;
  if (adminPassword !== null) {
    await upsertInstanceSecrets(deps.db, ref.serverId, ref.name, [
      { kind: 'admin', ciphertext: deps.secretBox.encrypt(adminPassword) },
    ]);
  }
  deps.logger.info(
    { serverId: ref.serverId, instance: ref.name, jobId: job.id, requestedBy: requester.email },
    'restore started',
  );
  return { job: await recordJob(deps, ref.serverId, job, requester), adminPassword };
}
