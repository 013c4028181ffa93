import { InstanceName } from '@ordo/protocol';
import type { CheckNameResult } from '@ordo/protocol/panel';
import { findInstance } from '../../db/repositories/instances.repository';
import type { JobDeps } from '../jobs/deps';
import { getServerOrThrow } from '../servers/internal';

export function nameTakenMessage(name: string, serverName: string): string {
  return `An instance named "${name}" already exists on ${serverName}`;
}

/** For live validation while typing: the format, then whether the server has it already. */
export async function checkInstanceName(
  deps: Pick<JobDeps, 'db'>,
  serverId: string,
  name: string,
): Promise<CheckNameResult> {
  const server = await getServerOrThrow(deps.db, serverId);
  const format = InstanceName.safeParse(name);
  if (!format.success) {
    return { available: false, message: format.error.issues[0]?.message ?? 'Invalid name' };
  }
  if ((await findInstance(deps.db, serverId, name)) !== undefined) {
    return { available: false, message: nameTakenMessage(name, server.name) };
  }
  return { available: true, message: null };
}
