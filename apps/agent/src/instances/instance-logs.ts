import type { InstanceLogs, InstanceLogsQuery } from '@ordo/protocol';
import type { z } from 'zod';
import type { InstanceDeps } from './instance-deps';
import { runtimeInstance } from './instance-paths';
import { requireInstance } from './require-instance';

/** The Odoo log of an instance, as `GET /v1/instances/:name/logs` describes it. */
export async function instanceLogs(
  deps: InstanceDeps,
  name: string,
  query: z.output<typeof InstanceLogsQuery>,
): Promise<InstanceLogs> {
  const record = await requireInstance(deps, name);
  return deps.runtime.logs(runtimeInstance(deps.root, record), query);
}
