import { ServerMetrics } from '@ordo/protocol';
import type { Kysely } from 'kysely';
import {
  deleteMinuteSamplesBefore,
  deleteSamplesById,
  insertMinuteSamples,
  rawSamplesBefore,
  type SampleToStore,
  type StoredSample,
  tryDownsampleLock,
} from '../../db/repositories/metric-samples.repository';
import type { Database } from '../../db/types';
import { averageInstances, averageServer, InstanceMetricsList } from './average';

export const RAW_KEEP_MS = 3_600_000;
export const MINUTE_KEEP_MS = 7 * 24 * 3_600_000;
const MINUTE_MS = 60_000;

/**
 * Raw samples older than an hour become one averaged row per server and minute, and minute
 * rows older than 7 days go. One process at a time (a transaction advisory lock); another
 * finding the lock taken skips the round. Returns how many raw rows were folded.
 */
export async function downsampleMetrics(db: Kysely<Database>, now: Date): Promise<number> {
  return db.transaction().execute(async (trx) => {
    if (!(await tryDownsampleLock(trx))) return 0;
    // Only whole minutes: the minute still receiving raw rows waits for the next round.
    const cutoff = new Date(Math.floor((now.getTime() - RAW_KEEP_MS) / MINUTE_MS) * MINUTE_MS);
    const rows = await rawSamplesBefore(trx, cutoff);
    const groups = new Map<string, StoredSample[]>();
    for (const row of rows) {
      const minute = Math.floor(row.collected_at.getTime() / MINUTE_MS) * MINUTE_MS;
      const key = `${row.server_id}|${minute}`;
      groups.set(key, [...(groups.get(key) ?? []), row]);
    }
    const minutes: SampleToStore[] = [];
    for (const [key, group] of groups) {
      const [serverId = '', minute = '0'] = key.split('|');
      const servers = group.flatMap((row) => {
        const parsed = ServerMetrics.safeParse(row.server);
        return parsed.success ? [parsed.data] : [];
      });
      if (servers.length === 0) continue;
      const instances = group.map((row) => InstanceMetricsList.catch([]).parse(row.instances));
      minutes.push({
        serverId,
        collectedAt: new Date(Number(minute)).toISOString(),
        server: averageServer(servers),
        instances: averageInstances(instances),
      });
    }
    await insertMinuteSamples(trx, minutes);
    await deleteSamplesById(
      trx,
      rows.map((row) => row.id),
    );
    await deleteMinuteSamplesBefore(trx, new Date(now.getTime() - MINUTE_KEEP_MS));
    return rows.length;
  });
}

/** Runs {@link downsampleMetrics} every `everyMs` (default a minute) until stopped. */
export function startDownsampler(
  db: Kysely<Database>,
  onError: (error: unknown) => void,
  everyMs = MINUTE_MS,
) {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = downsampleMetrics(db, new Date()).catch(onError);
  }, everyMs);
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
