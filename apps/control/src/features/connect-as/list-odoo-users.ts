import type { OdooUser } from '@ordo/protocol';
import type { JobDeps } from '../jobs/deps';
import { callServerAgent } from '../servers/call-agent';

/** The active internal users of the instance's Odoo database, straight from its agent. */
export async function listOdooUsers(
  deps: JobDeps,
  ref: { serverId: string; name: string },
): Promise<OdooUser[]> {
  const { users } = await callServerAgent(deps, ref.serverId, (client) =>
    client.listOdooUsers(ref.name),
  );
  return users;
}
