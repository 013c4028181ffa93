import type { JobLogEvent } from '@ordo/protocol/panel';
import { findJobWithServer, readLogChunks } from '../../db/repositories/jobs.repository';
import type { JobLogChunkRow } from '../../db/types';
import { NotFoundError } from '../../errors';
import type { JobDeps } from './deps';
import { pause } from './follow-job';
import { isMirrorComplete, toJobView } from './job-view';

const PAGE = 500;

export const jobNotFound = (id: string) =>
  new NotFoundError(`No job ${id}: it may have been deleted with its server`);

export interface StreamLogOptions {
  fromOffset?: number | undefined;
  signal?: AbortSignal | undefined;
  /** Re-read the mirror at least this often, for followers in other processes (default 500). */
  pollIntervalMs?: number;
}

/**
 * A job's log from the mirror: every stored chunk after `fromOffset`, then new ones as they are
 * stored (woken by this process's follower, or by polling when another process follows), then
 * one `end` once the job has ended and its whole log is stored.
 */
export async function* streamJobLog(
  deps: Pick<JobDeps, 'db' | 'jobHub'>,
  id: string,
  options: StreamLogOptions = {},
): AsyncGenerator<JobLogEvent> {
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  let wake = new AbortController();
  const offChanged = deps.jobHub.onChanged(id, () => wake.abort());
  let offset = options.fromOffset ?? 0;

  try {
    while (!signal.aborted) {
      // Armed before reading, so a change made while reading is not missed.
      wake = new AbortController();
      // Read the job before its chunks: if it was complete then, the chunks read next are all.
      const job = await findJobWithServer(deps.db, id);
      if (job === undefined) throw jobNotFound(id);
      const chunks = await readLogChunks(deps.db, id, offset, PAGE);
      for (const chunk of chunks) {
        yield { type: 'chunk', offset: Number(chunk.end_offset), text: textAfter(chunk, offset) };
        offset = Number(chunk.end_offset);
      }
      if (chunks.length === PAGE) continue;
      if (isMirrorComplete(job)) {
        yield { type: 'end', job: toJobView(job) };
        return;
      }
      await pause(options.pollIntervalMs ?? 500, AbortSignal.any([signal, wake.signal]));
    }
  } finally {
    offChanged();
    stop.abort();
  }
}

/** The chunk's text after byte `offset` (all of it unless the caller asked from mid-chunk). */
function textAfter(chunk: JobLogChunkRow, offset: number): string {
  const start = Number(chunk.start_offset);
  if (offset <= start) return chunk.text;
  return Buffer.from(chunk.text, 'utf8')
    .subarray(offset - start)
    .toString('utf8');
}
