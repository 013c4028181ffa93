import { open } from 'node:fs/promises';
import type { Job, JobLogChunk } from '@ordo/protocol';
import { isNotFound } from '../system/write-file-atomic';
import type { JobRunner } from './job-runner';

export interface StreamJobLogInput {
  runner: JobRunner;
  id: string;
  /** Byte offset to start from (a previous chunk's `offset`). */
  fromOffset: number;
  /** Client gone: stop without an end. */
  signal: AbortSignal;
  send: (chunk: JobLogChunk) => Promise<void>;
}

const CHUNK_BYTES = 64 * 1024;

/**
 * Sends a job's log from `fromOffset` on: what is on disk, then what is appended while the job
 * runs. Resolves with the finished job, or null when `signal` aborted first. Every chunk ends at
 * a line end (except a finished log's unterminated last line), so chunk offsets never split a
 * character, and the disk read and the live appends are joined by offset: nothing is sent twice
 * or skipped.
 */
export async function streamJobLog(input: StreamJobLogInput): Promise<Job | null> {
  const { runner, id, signal, send } = input;
  // Subscribe before looking at the disk, so no append can fall between the two.
  const subscription = runner.events.subscribe(id);
  try {
    const live = runner.isActive(id);
    let position = await sendFromDisk(runner.store.logPath(id), input.fromOffset, !live, input);
    if (!live) return signal.aborted ? null : await runner.get(id);

    for (;;) {
      const event = await subscription.next(signal);
      if (event === null) return null;
      if (event.type === 'end') return event.job;
      if (event.end <= position) continue;
      const skip = Math.max(0, position - event.start);
      await send({ offset: event.end, text: event.bytes.subarray(skip).toString('utf8') });
      position = event.end;
    }
  } finally {
    subscription.close();
  }
}

/** Sends the log file from `offset`; returns the offset reached. */
async function sendFromDisk(
  path: string,
  offset: number,
  complete: boolean,
  input: StreamJobLogInput,
): Promise<number> {
  let file;
  try {
    file = await open(path, 'r');
  } catch (error) {
    if (isNotFound(error)) return offset;
    throw error;
  }
  try {
    let position = offset;
    let carry = Buffer.alloc(0);
    for (;;) {
      if (input.signal.aborted) return position;
      const block = Buffer.alloc(CHUNK_BYTES);
      const { bytesRead } = await file.read(block, 0, CHUNK_BYTES, position + carry.length);
      const data = Buffer.concat([carry, block.subarray(0, bytesRead)]);
      const atEnd = bytesRead === 0;
      // While the job runs, an unterminated tail may be a write in progress: the live
      // append event delivers it whole.
      const cut = atEnd && complete ? data.length : data.lastIndexOf(0x0a) + 1;
      if (cut > 0) {
        position += cut;
        await input.send({ offset: position, text: data.subarray(0, cut).toString('utf8') });
      }
      carry = data.subarray(cut);
      if (atEnd) return position;
    }
  } finally {
    await file.close();
  }
}
