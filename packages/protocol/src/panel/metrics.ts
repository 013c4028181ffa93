import { z } from 'zod';
import { InstanceName } from '../instances';
import { InstanceMetrics, ServerMetrics } from '../metrics';

/** How far back a chart looks; up to 1h points are raw samples, beyond 1-minute averages. */
export const MetricsRange = z.enum(['15m', '1h', '6h', '24h', '7d'], {
  error: 'Range must be one of 15m, 1h, 6h, 24h, 7d',
});
export type MetricsRange = z.infer<typeof MetricsRange>;

export const MetricsServerInput = z.object({
  serverId: z.uuid('Server id must be a UUID'),
  range: MetricsRange.default('1h'),
});
export type MetricsServerInput = z.input<typeof MetricsServerInput>;

export const MetricsInstanceInput = z.object({
  serverId: z.uuid('Server id must be a UUID'),
  name: InstanceName,
  range: MetricsRange.default('1h'),
});
export type MetricsInstanceInput = z.input<typeof MetricsInstanceInput>;

export const MetricsLiveInput = z.object({
  serverId: z.uuid('Server id must be a UUID').optional(),
});
export type MetricsLiveInput = z.infer<typeof MetricsLiveInput>;

export const ServerMetricsPoint = z.object({ at: z.string(), server: ServerMetrics });
export type ServerMetricsPoint = z.infer<typeof ServerMetricsPoint>;

export const InstanceMetricsPoint = z.object({ at: z.string(), instance: InstanceMetrics });
export type InstanceMetricsPoint = z.infer<typeof InstanceMetricsPoint>;

/** One polled sample as the control plane stores and streams it. */
export const FleetSample = z.object({
  serverId: z.string(),
  at: z.string(),
  server: ServerMetrics,
  instances: z.array(InstanceMetrics),
});
export type FleetSample = z.infer<typeof FleetSample>;

export const FleetOverview = z.object({
  /** The latest sample of each server that has one. */
  servers: z.array(FleetSample),
  /** Instances known to the control plane by status (running, stopped, error…). */
  instanceStatus: z.record(z.string(), z.number().int().nonnegative()),
});
export type FleetOverview = z.infer<typeof FleetOverview>;
