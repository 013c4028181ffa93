import { type Kysely, sql } from 'kysely';
import type { Database } from '../types';

export interface SampleToStore {
  serverId: string;
  collectedAt: string;
  server: unknown;
  instances: unknown;
}

export interface StoredSample {
  id: string;
  server_id: string;
  collected_at: Date;
  server: unknown;
  instances: unknown;
}

export async function insertRawSamples(
  db: Kysely<Database>,
  samples: SampleToStore[],
): Promise<void> {
  if (samples.length === 0) return;
  await db
    .insertInto('metric_samples')
    .values(
      samples.map((sample) => ({
        server_id: sample.serverId,
        resolution: 'raw' as const,
        collected_at: sample.collectedAt,
        server: JSON.stringify(sample.server),
        instances: JSON.stringify(sample.instances),
      })),
    )
    .execute();
}

/** Points of one server since `since`: raw rows, or minute averages when `minutes` is set. */
export function listSamples(
  db: Kysely<Database>,
  serverId: string,
  since: Date,
  resolution: 'raw' | '1m',
): Promise<StoredSample[]> {
  return db
    .selectFrom('metric_samples')
    .select(['id', 'server_id', 'collected_at', 'server', 'instances'])
    .where('server_id', '=', serverId)
    .where('resolution', '=', resolution)
    .where('collected_at', '>=', since)
    .orderBy('collected_at')
    .execute();
}

/** The newest raw sample of each server. */
export function latestSamples(db: Kysely<Database>): Promise<StoredSample[]> {
  return db
    .selectFrom('metric_samples')
    .distinctOn('server_id')
    .select(['id', 'server_id', 'collected_at', 'server', 'instances'])
    .where('resolution', '=', 'raw')
    .orderBy('server_id')
    .orderBy('collected_at', 'desc')
    .execute();
}

/** Raw samples stored after row `afterId` (ids grow with inserts), optionally of one server. */
export function samplesAfter(
  db: Kysely<Database>,
  afterId: string,
  serverId: string | undefined,
): Promise<StoredSample[]> {
  let query = db
    .selectFrom('metric_samples')
    .select(['id', 'server_id', 'collected_at', 'server', 'instances'])
    .where('resolution', '=', 'raw')
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(5000);
  if (serverId !== undefined) query = query.where('server_id', '=', serverId);
  return query.execute();
}

export async function maxSampleId(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{
    id: string | null;
  }>`SELECT max(id)::text AS id FROM metric_samples`.execute(db);
  return rows[0]?.id ?? '0';
}

export function rawSamplesBefore(db: Kysely<Database>, before: Date): Promise<StoredSample[]> {
  return db
    .selectFrom('metric_samples')
    .select(['id', 'server_id', 'collected_at', 'server', 'instances'])
    .where('resolution', '=', 'raw')
    .where('collected_at', '<', before)
    .orderBy('collected_at')
    .limit(50_000)
    .execute();
}

export async function insertMinuteSamples(
  db: Kysely<Database>,
  samples: SampleToStore[],
): Promise<void> {
  if (samples.length === 0) return;
  await db
    .insertInto('metric_samples')
    .values(
      samples.map((sample) => ({
        server_id: sample.serverId,
        resolution: '1m' as const,
        collected_at: sample.collectedAt,
        server: JSON.stringify(sample.server),
        instances: JSON.stringify(sample.instances),
      })),
    )
    .execute();
}

export async function deleteSamplesById(db: Kysely<Database>, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.deleteFrom('metric_samples').where('id', 'in', ids).execute();
}

export async function deleteMinuteSamplesBefore(db: Kysely<Database>, before: Date): Promise<void> {
  await db
    .deleteFrom('metric_samples')
    .where('resolution', '=', '1m')
    .where('collected_at', '<', before)
    .execute();
}

/** A transaction-scoped advisory lock: one downsampling run at a time across processes. */
export async function tryDownsampleLock(db: Kysely<Database>): Promise<boolean> {
  const { rows } = await sql<{
    locked: boolean;
  }>`SELECT pg_try_advisory_xact_lock(hashtext('ordo.metrics'), hashtext('downsample')) AS locked`.execute(
    db,
  );
  return rows[0]?.locked === true;
}

export async function markServersSeen(db: Kysely<Database>, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('servers')
    .set({ last_seen_at: new Date() })
    .where('id', 'in', ids)
    .execute();
}

/** Instances of the control plane's mirror by status, for the dashboard. */
export async function countInstancesByStatus(
  db: Kysely<Database>,
  serverId: string | null,
): Promise<{ status: string; count: number }[]> {
  let query = db
    .selectFrom('instances')
    .select(['status', (eb) => eb.fn.countAll<string>().as('count')])
    .groupBy('status');
  if (serverId !== null) query = query.where('server_id', '=', serverId);
  const rows = await query.execute();
  return rows.map((row) => ({ status: row.status, count: Number(row.count) }));
}
