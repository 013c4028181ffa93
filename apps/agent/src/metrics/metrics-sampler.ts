import type { InstanceMetrics, MetricsSnapshot } from '@ordo/protocol';
import type { Logger } from 'pino';
import { instancePaths } from '../instances/instance-paths';
import { readAllInstanceRecords } from '../instances/instance-store';
import { type PgTarget } from '../postgres/pg-target';
import type { InstanceRuntime } from '../runtime/runtime';
import { type DatabaseStats, readDatabaseStats } from './database-stats';
import { cachedDirectorySize } from './directory-size';
import { ErrorCounter } from './error-counter';
import { sampleInstance } from './instance-metrics';
import { createSystemSampler } from './system-metrics';

/** What the metrics routes read: the last sample, never a fresh one. */
export interface MetricsSource {
  latest(): MetricsSnapshot | null;
}

export interface MetricsSampler extends MetricsSource {
  /** Takes one sample now (the first before serving, tests between steps). */
  sample(): Promise<MetricsSnapshot>;
  /** Samples every `intervalMs` until `stop()`. */
  start(): void;
  stop(): Promise<void>;
}

export interface MetricsSamplerDeps {
  root: string;
  pg: PgTarget;
  runtime: InstanceRuntime;
  instanceHost: string;
  logger: Logger;
  intervalMs: number;
  now?: () => Date;
  /** Per-instance `/web/health` probe timeout (default 2 s). */
  httpTimeoutMs?: number;
}

export const DEFAULT_METRICS_INTERVAL_MS = 5000;

export function createMetricsSampler(deps: MetricsSamplerDeps): MetricsSampler {
  const now = deps.now ?? (() => new Date());
  const sampleSystem = createSystemSampler(deps.root);
  const counters = new Map<string, ErrorCounter>();
  const filestoreSize = cachedDirectorySize(60_000);
  let latest: MetricsSnapshot | null = null;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<MetricsSnapshot> | undefined;
  let stopped = false;

  async function collect(): Promise<MetricsSnapshot> {
    const at = now();
    const records = (await readAllInstanceRecords(deps.root, deps.logger)).filter(
      (record) => record.phase === 'ready',
    );
    for (const name of counters.keys()) {
      if (!records.some((record) => record.name === name)) counters.delete(name);
    }
    const [server, databases] = await Promise.all([
      sampleSystem(),
      readDatabaseStats(
        deps.pg,
        records.map((record) => record.database),
      ).catch((error: unknown) => {
        deps.logger.warn({ err: error }, 'cannot read instance database statistics');
        return new Map<string, DatabaseStats>();
      }),
    ]);
    const instanceDeps = {
      root: deps.root,
      runtime: deps.runtime,
      instanceHost: deps.instanceHost,
      logger: deps.logger,
      httpTimeoutMs: deps.httpTimeoutMs ?? 2000,
      filestoreSize,
      errorCounter: (record: { name: string }) => {
        let counter = counters.get(record.name);
        if (counter === undefined) {
          counter = new ErrorCounter(instancePaths(deps.root, record.name).logfile);
          counters.set(record.name, counter);
        }
        return counter;
      },
    };
    const instances: InstanceMetrics[] = await Promise.all(
      records.map((record) =>
        sampleInstance(instanceDeps, record, databases.get(record.database), at),
      ),
    );
    latest = { collectedAt: at.toISOString(), server, instances };
    return latest;
  }

  function sample(): Promise<MetricsSnapshot> {
    // Never two samples at once: CPU deltas and log offsets assume one reader.
    running ??= collect().finally(() => (running = undefined));
    return running;
  }

  function schedule() {
    if (stopped) return;
    timer = setTimeout(() => {
      sample()
        .catch((error: unknown) => deps.logger.warn({ err: error }, 'metrics sample failed'))
        .finally(schedule);
    }, deps.intervalMs);
    timer.unref();
  }

  return {
    latest: () => latest,
    sample,
    start: () => {
      stopped = false;
      if (timer === undefined) schedule();
    },
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      timer = undefined;
      await running?.catch(() => undefined);
    },
  };
}
