import type { Backup } from '@ordo/protocol';
import type { BackupView } from '@ordo/protocol/panel';
import { NotFoundError } from '../../errors';
import type { JobDeps } from '../jobs/deps';
import { callServerAgent } from '../servers/call-agent';

export function toBackupView(serverId: string, backup: Backup): BackupView {
  return {
    id: backup.id,
    serverId,
    instance: backup.instance,
    createdAt: backup.createdAt,
    size: backup.size,
    sha256: backup.sha256,
    requestedBy: backup.requestedBy ?? null,
  };
}

/** The instance's finished backups on its agent, newest first (the agent is the truth). */
export async function listBackups(
  deps: JobDeps,
  ref: { serverId: string; name: string },
): Promise<BackupView[]> {
  const { backups } = await callServerAgent(deps, ref.serverId, (client) =>
    client.listBackups(ref.name),
  );
  return backups.map((backup) => toBackupView(ref.serverId, backup));
}

/**
 * The backup, when it is one of this instance's. Agents address backups by id alone; checking
 * the instance keeps a caller allowed on a staging instance away from production's backups.
 */
export async function requireInstanceBackup(
  deps: JobDeps,
  ref: { serverId: string; name: string; backupId: string },
): Promise<BackupView> {
  const found = (await listBackups(deps, ref)).find((backup) => backup.id === ref.backupId);
  if (found === undefined) {
    throw new NotFoundError(`No backup ${ref.backupId} of instance "${ref.name}" on this server`);
  }
  return found;
}
