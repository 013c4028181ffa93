import type { InstanceMetrics } from '@ordo/protocol';
import type { Logger } from 'pino';
import type { InstanceRecord } from '../instances/instance-record';
import { instancePaths, runtimeInstance } from '../instances/instance-paths';
import type { InstanceRuntime } from '../runtime/runtime';
import { type DatabaseStats, EMPTY_DATABASE_STATS } from './database-stats';
import type { ErrorCounter } from './error-counter';

export interface InstanceSampleDeps {
  root: string;
  runtime: InstanceRuntime;
  instanceHost: string;
  logger: Logger;
  httpTimeoutMs: number;
  filestoreSize: (dir: string) => Promise<number>;
  errorCounter: (record: InstanceRecord) => ErrorCounter;
}

/** Odoo answers `/web/health` with 200 once it serves requests. */
export async function probeHttp(url: string, timeoutMs: number): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false;
  }
}

export async function sampleInstance(
  deps: InstanceSampleDeps,
  record: InstanceRecord,
  database: DatabaseStats | undefined,
  now: Date,
): Promise<InstanceMetrics> {
  const counter = deps.errorCounter(record);
  const host = deps.instanceHost.includes(':') ? `[${deps.instanceHost}]` : deps.instanceHost;
  const [processes, httpUp, filestore] = await Promise.all([
    deps.runtime.processes(runtimeInstance(deps.root, record)).catch((error: unknown) => {
      deps.logger.debug({ err: error, instance: record.name }, 'cannot list instance processes');
      return [];
    }),
    record.httpPort === null
      ? Promise.resolve(false)
      : probeHttp(`http://${host}:${record.httpPort}/web/health`, deps.httpTimeoutMs),
    deps.filestoreSize(instancePaths(deps.root, record.name).data),
    counter.update().catch((error: unknown) => {
      deps.logger.debug({ err: error, instance: record.name }, 'cannot read the instance log');
    }),
  ]);
  const stats = database ?? EMPTY_DATABASE_STATS;
  return {
    name: record.name,
    httpUp,
    dbConnectionsActive: stats.active,
    dbConnectionsIdle: stats.idle,
    errorsPerHour: counter.perHour(now),
    memoryBytes: processes.reduce((sum, process) => sum + (process.rssBytes ?? 0), 0),
    workers: processes.filter((process) => process.role.endsWith('worker')).length,
    blockedLocks: stats.blocked,
    deadlocks: stats.deadlocks,
    databaseSizeBytes: stats.sizeBytes,
    filestoreSizeBytes: filestore,
  };
}
