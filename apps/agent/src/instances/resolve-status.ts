import type { InstanceStatus } from '@ordo/protocol';
import type { InstanceRecord } from './instance-record';

export interface ResolvedStatus {
  status: InstanceStatus;
  statusReason: string | null;
}

/** How the instance listing learns whether an instance runs; a runtime will provide the real one. */
export type ResolveStatus = (record: InstanceRecord) => Promise<ResolvedStatus>;

/** Until a runtime supervises instances, nothing runs. */
export const resolveStatusWithoutRuntime: ResolveStatus = () =>
  Promise.resolve({ status: 'stopped', statusReason: null });
