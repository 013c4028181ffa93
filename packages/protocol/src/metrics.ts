import { z } from 'zod';
import { InstanceName } from './instances';

/** Host figures of the agent's machine, from one sample. */
export const ServerMetrics = z.object({
  /** Busy share of all cores since the previous sample, 0–100. */
  cpuPercent: z.number().min(0).max(100),
  cores: z.number().int().positive(),
  memoryUsedBytes: z.number().nonnegative(),
  memoryTotalBytes: z.number().nonnegative(),
  /** Of the filesystem holding the agent's data root. */
  diskUsedBytes: z.number().nonnegative(),
  diskTotalBytes: z.number().nonnegative(),
  load: z.tuple([z.number(), z.number(), z.number()]),
  uptimeSeconds: z.number().nonnegative(),
  /** Totals since boot over every interface but loopback. */
  networkRxBytes: z.number().nonnegative(),
  networkTxBytes: z.number().nonnegative(),
});
export type ServerMetrics = z.infer<typeof ServerMetrics>;

/** ERROR/CRITICAL log lines of one UTC hour; `hour` is its start (ISO). */
export const ErrorBucket = z.object({
  hour: z.iso.datetime({ offset: true }),
  count: z.number().int().nonnegative(),
});
export type ErrorBucket = z.infer<typeof ErrorBucket>;

export const InstanceMetrics = z.object({
  name: InstanceName,
  /** `/web/health` answered 200 within the probe timeout. */
  httpUp: z.boolean(),
  dbConnectionsActive: z.number().int().nonnegative(),
  dbConnectionsIdle: z.number().int().nonnegative(),
  /** The last 6 hours, oldest first, the current hour last. */
  errorsPerHour: z.array(ErrorBucket),
  memoryBytes: z.number().nonnegative(),
  workers: z.number().int().nonnegative(),
  /** Lock requests of its database waiting on another session. */
  blockedLocks: z.number().int().nonnegative(),
  /** Since the PostgreSQL statistics were last reset. */
  deadlocks: z.number().int().nonnegative(),
  databaseSizeBytes: z.number().nonnegative(),
  filestoreSizeBytes: z.number().nonnegative(),
});
export type InstanceMetrics = z.infer<typeof InstanceMetrics>;

/** `GET /v1/metrics`: the agent's last sample (it never computes one on request). */
export const MetricsSnapshot = z.object({
  collectedAt: z.iso.datetime({ offset: true }),
  server: ServerMetrics,
  instances: z.array(InstanceMetrics),
});
export type MetricsSnapshot = z.infer<typeof MetricsSnapshot>;

/** `GET /v1/instances/:name/metrics`. */
export const InstanceMetricsSnapshot = z.object({
  collectedAt: z.iso.datetime({ offset: true }),
  instance: InstanceMetrics,
});
export type InstanceMetricsSnapshot = z.infer<typeof InstanceMetricsSnapshot>;
