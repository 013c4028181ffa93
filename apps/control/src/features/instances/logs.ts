import type { InstanceLogs, InstanceLogsQuery } from '@ordo/protocol';
import type { JobDeps } from '../jobs/deps';
import { callServerAgent } from '../servers/call-agent';

/** The tail of the instance's Odoo log, straight from its agent. */
export function readInstanceLogs(
  deps: JobDeps,
  ref: { serverId: string; name: string },
  query: InstanceLogsQuery,
): Promise<InstanceLogs> {
  return callServerAgent(deps, ref.serverId, (client) => client.instanceLogs(ref.name, query));
}
