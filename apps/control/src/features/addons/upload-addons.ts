import type { AddonsUploaded } from '@ordo/protocol';
import { instanceNotFound, isInstanceMirrored } from '../instances/list';
import { refreshInstance } from '../instances/mirror';
import type { JobDeps } from '../jobs/deps';
import { callServerAgent } from '../servers/call-agent';

/**
 * How long the agent may take to receive the ZIP, install it and restart the instance. The body
 * is paced by the browser, so this bounds a stalled transfer; a browser that goes away ends the
 * upload at once anyway.
 */
export const ADDONS_UPLOAD_TIMEOUT_MS = 30 * 60 * 1000;

export interface AddonsUpload {
  stream: ReadableStream<Uint8Array>;
  /** Set when the upload broke on this side (too large, sender gone): the agent is not at fault. */
  failure(): Error | null;
}

/**
 * Streams a ZIP of modules straight through to the instance's agent (never held here), which
 * checks it whole, installs each module atomically and restarts the instance if it runs. The
 * agent's refusals (unsafe entry, no module, too large) keep their message.
 */
export async function uploadAddons(
  deps: JobDeps,
  ref: { serverId: string; name: string },
  upload: AddonsUpload,
  requester: { email: string },
): Promise<AddonsUploaded> {
  // Refused before a single byte goes to the agent.
  if (!(await isInstanceMirrored(deps, ref.serverId, ref.name))) throw instanceNotFound(ref.name);
  const result = await callServerAgent(deps, ref.serverId, async (client) => {
    try {
      return await client.uploadAddons(ref.name, upload.stream, {
        timeoutMs: ADDONS_UPLOAD_TIMEOUT_MS,
      });
    } catch (error) {
      // Thrown as is: not the agent's failure, so the server is not marked unreachable.
      throw upload.failure() ?? error;
    }
  });
  deps.logger.info(
    { serverId: ref.serverId, instance: ref.name, ...result, by: requester.email },
    'addons uploaded',
  );
  // The agent restarted the instance: mirror how it is now.
  await callServerAgent(deps, ref.serverId, (client) =>
    refreshInstance(deps, ref.serverId, client, ref.name),
  ).catch((error: unknown) => {
    deps.logger.warn({ err: error, instance: ref.name }, 'cannot read the instance back');
  });
  return result;
}
