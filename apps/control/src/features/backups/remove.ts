import type { JobDeps } from '../jobs/deps';
import { callServerAgent } from '../servers/call-agent';
import { requireInstanceBackup } from './list';

/** Deletes one backup (ZIP and record) of the instance on its agent. */
export async function removeBackup(
  deps: JobDeps,
  ref: { serverId: string; name: string; backupId: string },
): Promise<void> {
  await requireInstanceBackup(deps, ref);
  await callServerAgent(deps, ref.serverId, (client) => client.deleteBackup(ref.backupId));
  deps.logger.info(
    { serverId: ref.serverId, instance: ref.name, backupId: ref.backupId },
    'backup deleted',
  );
}
