import type { Instance } from '@ordo/protocol';
import type { Logger } from 'pino';
import type { InstanceRecord } from './instance-record';
import { readAllInstanceRecords } from './instance-store';
import type { ResolveStatus } from './resolve-status';

export interface ListInstancesDeps {
  root: string;
  logger: Logger;
  resolveStatus: ResolveStatus;
}

/**
 * Every instance recorded under `<root>/instances`, sorted by name. A directory that is not a
 * valid instance is skipped with a warning: one broken record must not hide the others.
 */
export async function listInstances(deps: ListInstancesDeps): Promise<Instance[]> {
  const records = await readAllInstanceRecords(deps.root, deps.logger);
  return Promise.all(records.map((record) => toInstance(record, deps.resolveStatus)));
}

export async function toInstance(
  record: InstanceRecord,
  resolveStatus: ResolveStatus,
): Promise<Instance> {
  const { status, statusReason } = await resolveStatus(record);
  return {
    name: record.name,
    version: record.version,
    edition: record.edition,
    type: record.type,
    parent: record.parent,
    status,
    statusReason,
    database: record.database,
    httpPort: record.httpPort,
    url: record.url,
  };
}
