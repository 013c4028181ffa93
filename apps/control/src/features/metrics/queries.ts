import {
  type FleetOverview,
  type FleetSample,
  type InstanceMetricsPoint,
  type MetricsRange,
  type ServerMetricsPoint,
} from '@ordo/protocol/panel';
import { ServerMetrics } from '@ordo/protocol';
import type { Kysely } from 'kysely';
import {
  countInstancesByStatus,
  latestSamples,
  listSamples,
  type StoredSample,
} from '../../db/repositories/metric-samples.repository';
import type { Database } from '../../db/types';
import { NotFoundError } from '../../errors';
import { getServerOrThrow } from '../servers/internal';
import { InstanceMetricsList } from './average';
import { RAW_KEEP_MS } from './downsample';

const RANGE_MS: Record<MetricsRange, number> = {
  '15m': 15 * 60_000,
  '1h': 3_600_000,
  '6h': 6 * 3_600_000,
  '24h': 24 * 3_600_000,
  '7d': 7 * 24 * 3_600_000,
};

/** A stored row as the protocol shapes it; rows that no longer parse are dropped. */
export function toFleetSample(row: StoredSample): FleetSample | null {
  const server = ServerMetrics.safeParse(row.server);
  const instances = InstanceMetricsList.safeParse(row.instances);
  if (!server.success || !instances.success) return null;
  return {
    serverId: row.server_id,
    at: row.collected_at.toISOString(),
    server: server.data,
    instances: instances.data,
  };
}

async function samplesFor(db: Kysely<Database>, serverId: string, range: MetricsRange, now: Date) {
  await getServerOrThrow(db, serverId);
  const span = RANGE_MS[range];
  const since = new Date(now.getTime() - span);
  // Up to an hour the raw rows exist; beyond, minute averages, then the last hour raw.
  if (span <= RAW_KEEP_MS) return listSamples(db, serverId, since, 'raw');
  const [minutes, raw] = await Promise.all([
    listSamples(db, serverId, since, '1m'),
    listSamples(db, serverId, new Date(now.getTime() - RAW_KEEP_MS), 'raw'),
  ]);
  return [...minutes, ...raw];
}

export async function serverMetrics(
  db: Kysely<Database>,
  input: { serverId: string; range: MetricsRange },
  now = new Date(),
): Promise<ServerMetricsPoint[]> {
  const rows = await samplesFor(db, input.serverId, input.range, now);
  return rows.flatMap((row) => {
    const sample = toFleetSample(row);
    return sample === null ? [] : [{ at: sample.at, server: sample.server }];
  });
}

export async function instanceMetrics(
  db: Kysely<Database>,
  input: { serverId: string; name: string; range: MetricsRange },
  now = new Date(),
): Promise<InstanceMetricsPoint[]> {
  const rows = await samplesFor(db, input.serverId, input.range, now);
  const points = rows.flatMap((row) => {
    const sample = toFleetSample(row);
    const instance = sample?.instances.find((entry) => entry.name === input.name);
    return sample === null || instance === undefined ? [] : [{ at: sample.at, instance }];
  });
  if (points.length === 0 && rows.length > 0) {
    throw new NotFoundError(`No metrics for instance "${input.name}" on this server`);
  }
  return points;
}

/** `onlyServerId`: an account limited to one server sees that server's figures only. */
export async function fleetMetrics(
  db: Kysely<Database>,
  onlyServerId: string | null = null,
): Promise<FleetOverview> {
  const [latest, counts] = await Promise.all([
    latestSamples(db),
    countInstancesByStatus(db, onlyServerId),
  ]);
  return {
    servers: latest.flatMap((row) => {
      if (onlyServerId !== null && row.server_id !== onlyServerId) return [];
      const sample = toFleetSample(row);
      return sample === null ? [] : [sample];
    }),
    instanceStatus: Object.fromEntries(counts.map((row) => [row.status, row.count])),
  };
}
