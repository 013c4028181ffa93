import type { InstanceStatus } from '@ordo/protocol';
import type { InstanceRuntime } from '../runtime/runtime';
import { runtimeInstance } from './instance-paths';
import type { InstanceRecord } from './instance-record';

export interface ResolvedStatus {
  status: InstanceStatus;
  statusReason: string | null;
}

/** How the instance listing learns whether an instance runs. */
export type ResolveStatus = (record: InstanceRecord) => Promise<ResolvedStatus>;

/** Without a runtime nothing runs. */
export const resolveStatusWithoutRuntime: ResolveStatus = (record) =>
  Promise.resolve(
    record.phase === 'provisioning'
      ? { status: 'provisioning', statusReason: null }
      : { status: 'stopped', statusReason: null },
  );

/**
 * The status an admin sees: `provisioning` while the creation job runs, else what the runtime
 * reports. A crashed instance waiting for its restart shows as `error` with the reason.
 */
export function resolveStatusWithRuntime(root: string, runtime: InstanceRuntime): ResolveStatus {
  return async (record) => {
    if (record.phase === 'provisioning') return { status: 'provisioning', statusReason: null };
    const status = await runtime.status(runtimeInstance(root, record));
    switch (status.state) {
      case 'running':
        return { status: 'running', statusReason: null };
      case 'starting':
      case 'error':
        return { status: 'error', statusReason: status.reason ?? 'Odoo is not running' };
      case 'stopped':
        return record.lastError === null
          ? { status: 'stopped', statusReason: null }
          : { status: 'error', statusReason: record.lastError };
    }
  };
}
