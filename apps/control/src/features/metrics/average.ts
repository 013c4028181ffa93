import { InstanceMetrics, type ServerMetrics } from '@ordo/protocol';
import { z } from 'zod';

type NumericKey<T> = { [K in keyof T]: T[K] extends number ? K : never }[keyof T];

const SERVER_KEYS: NumericKey<ServerMetrics>[] = [
  'cpuPercent',
  'cores',
  'memoryUsedBytes',
  'memoryTotalBytes',
  'diskUsedBytes',
  'diskTotalBytes',
  'uptimeSeconds',
  'networkRxBytes',
  'networkTxBytes',
];

const INSTANCE_KEYS: NumericKey<InstanceMetrics>[] = [
  'dbConnectionsActive',
  'dbConnectionsIdle',
  'memoryBytes',
  'workers',
  'blockedLocks',
  'deadlocks',
  'databaseSizeBytes',
  'filestoreSizeBytes',
];

const mean = (values: number[]) =>
  values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;

/** Field-by-field mean; counts are rounded so the result still fits the protocol schema. */
export function averageServer(samples: ServerMetrics[]): ServerMetrics {
  const [first] = samples;
  if (first === undefined) throw new Error('averageServer needs at least one sample');
  const result: ServerMetrics = { ...first };
  for (const key of SERVER_KEYS) result[key] = mean(samples.map((sample) => sample[key]));
  result.cores = Math.round(result.cores);
  result.load = [0, 1, 2].map((index) =>
    mean(samples.map((sample) => sample.load[index] ?? 0)),
  ) as [number, number, number];
  return result;
}

/**
 * Per instance: numeric means over the samples that include it; `httpUp` true only if it was
 * up in every one (a flap within the minute shows); error buckets from the newest sample.
 */
export function averageInstances(samples: InstanceMetrics[][]): InstanceMetrics[] {
  const byName = new Map<string, InstanceMetrics[]>();
  for (const list of samples) {
    for (const instance of list)
      byName.set(instance.name, [...(byName.get(instance.name) ?? []), instance]);
  }
  return [...byName.values()].map((list) => {
    const last = list.at(-1) ?? list[0];
    if (last === undefined) throw new Error('unreachable: empty instance group');
    const result: InstanceMetrics = { ...last, httpUp: list.every((entry) => entry.httpUp) };
    for (const key of INSTANCE_KEYS) {
      const value = mean(list.map((entry) => entry[key]));
      result[key] = key.endsWith('Bytes') ? value : Math.round(value);
    }
    return result;
  });
}

export const InstanceMetricsList = z.array(InstanceMetrics);
