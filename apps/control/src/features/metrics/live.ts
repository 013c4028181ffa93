import type { FleetSample } from '@ordo/protocol/panel';
import type { Kysely } from 'kysely';
import { maxSampleId, samplesAfter } from '../../db/repositories/metric-samples.repository';
import type { Database } from '../../db/types';
import { toFleetSample } from './queries';

/**
 * New samples as they are stored. Read from PostgreSQL rather than from this process's poller:
 * with several control processes, the one serving the panel may not be the one polling.
 */
export async function* liveSamples(
  db: Kysely<Database>,
  options: { serverId?: string | undefined; signal?: AbortSignal | undefined; everyMs?: number },
): AsyncGenerator<FleetSample> {
  let cursor = await maxSampleId(db);
  const everyMs = options.everyMs ?? 1000;
  while (options.signal?.aborted !== true) {
    const rows = await samplesAfter(db, cursor, options.serverId);
    for (const row of rows) {
      cursor = row.id;
      const sample = toFleetSample(row);
      if (sample !== null) yield sample;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, everyMs);
      options.signal?.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });
  }
}
