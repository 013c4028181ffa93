import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import {
  insertRawSamples,
  markServersSeen,
  type SampleToStore,
} from '../../db/repositories/metric-samples.repository';
import type { Database } from '../../db/types';

/**
 * Batches polled samples into one INSERT every `flushMs` (or `maxBatch` rows): a thousand
 * agents every 5 s would otherwise cost 200 round trips a second.
 */
export function createSampleWriter(
  db: Kysely<Database>,
  logger: Logger,
  options: { flushMs?: number; maxBatch?: number } = {},
) {
  const flushMs = options.flushMs ?? 200;
  const maxBatch = options.maxBatch ?? 500;
  let pending: SampleToStore[] = [];
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();

  function flush(): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    const batch = pending;
    pending = [];
    if (batch.length === 0) return writing;
    writing = writing
      .then(async () => {
        await insertRawSamples(db, batch);
        await markServersSeen(db, [...new Set(batch.map((sample) => sample.serverId))]);
      })
      .catch((error: unknown) => {
        logger.warn({ err: error, samples: batch.length }, 'cannot store metrics samples');
      });
    return writing;
  }

  return {
    add(sample: SampleToStore) {
      pending.push(sample);
      if (pending.length >= maxBatch) void flush();
      else timer ??= setTimeout(() => void flush(), flushMs);
    },
    flush,
  };
}
