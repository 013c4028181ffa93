import type { InstanceDetail } from '@ordo/protocol';
import { runtimeInstance } from './instance-paths';
import type { InstanceDeps } from './instance-deps';
import { toInstance } from './list-instances';
import { requireInstance } from './require-instance';

export async function instanceDetail(deps: InstanceDeps, name: string): Promise<InstanceDetail> {
  const record = await requireInstance(deps, name);
  const instance = await toInstance(record, deps.resolveStatus);
  const processes =
    record.phase === 'ready'
      ? await deps.runtime.processes(runtimeInstance(deps.root, record))
      : [];
  return {
    ...instance,
    adminLogin: record.adminLogin,
    geventPort: record.geventPort,
    createdAt: record.createdAt,
    processes,
  };
}
