import { open, type FileHandle } from 'node:fs/promises';
import type { InstanceLogLine, InstanceLogs, LogLineLevel } from '@ordo/protocol';
import { isNotFound } from '../system/write-file-atomic';
import { isAtLeast, isHeaderLine, parseLogEntry } from './log-entry';

const CHUNK_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

export interface ReadLogQuery {
  level?: LogLineLevel | undefined;
  cursor?: string | undefined;
  limit: number;
}

interface Line {
  offset: number;
  text: string;
}

/**
 * Reads an Odoo log file: without a cursor the last `limit` records (read from the end in
 * chunks, never the whole file), with one the records written after it. The cursor is
 * `<byte offset>:<inode>`: when logrotate replaced the file, reading restarts at 0.
 * A line still being written (no newline yet) is left for the next read.
 */
export async function readOdooLog(path: string, query: ReadLogQuery): Promise<InstanceLogs> {
  let file: FileHandle;
  try {
    file = await open(path, 'r');
  } catch (error) {
    if (isNotFound(error)) return { lines: [], cursor: '0' };
    throw error;
  }
  try {
    const info = await file.stat();
    const cursor = parseCursor(query.cursor);
    if (cursor === null) {
      const { lines, end } = await lastEntries(file, info.size, query);
      return { lines, cursor: `${end}:${info.ino}` };
    }
    const sameFile = cursor.inode === null || cursor.inode === info.ino;
    const from = sameFile && cursor.offset <= info.size ? cursor.offset : 0;
    const { lines, next } = await entriesAfter(file, from, info.size, query);
    return { lines, cursor: `${next}:${info.ino}` };
  } finally {
    await file.close();
  }
}

function parseCursor(cursor: string | undefined): { offset: number; inode: number | null } | null {
  if (cursor === undefined) return null;
  const [offset, inode] = cursor.split(':');
  return { offset: Number(offset ?? 0), inode: inode === undefined ? null : Number(inode) };
}

async function lastEntries(
  file: FileHandle,
  size: number,
  query: ReadLogQuery,
): Promise<{ lines: InstanceLogLine[]; end: number }> {
  const found: InstanceLogLine[] = [];
  let continuation: string[] = [];
  let end: number | null = null;
  for await (const line of linesBackward(file, size, (position) => (end = position))) {
    if (!isHeaderLine(line.text) && line.offset > 0) {
      continuation.push(line.text);
      continue;
    }
    const entry = parseLogEntry(line.offset, line.text, continuation.reverse());
    continuation = [];
    if (isAtLeast(entry.level, query.level)) found.push(entry);
    if (found.length >= query.limit) break;
  }
  return { lines: found.reverse(), end: end ?? 0 };
}

/** Complete lines from the end of the file to its start; `onEnd` learns where they end. */
async function* linesBackward(
  file: FileHandle,
  size: number,
  onEnd: (position: number) => void,
): AsyncGenerator<Line> {
  let position = size;
  let carry = Buffer.alloc(0);
  let endKnown = false;
  while (position > 0) {
    const length = Math.min(CHUNK_BYTES, position);
    position -= length;
    const chunk = Buffer.alloc(length);
    await readFully(file, chunk, position);
    let buffer = Buffer.concat([chunk, carry]);
    if (!endKnown) {
      const last = buffer.lastIndexOf(NEWLINE);
      if (last === -1) {
        carry = buffer;
        continue;
      }
      // Whatever follows the last newline is a line Odoo is still writing.
      buffer = buffer.subarray(0, last + 1);
      endKnown = true;
      onEnd(position + last + 1);
    }
    // Every line but the first is whole; the first may continue in the previous chunk.
    let lineEnd = buffer.length - 1;
    for (let index = lineEnd - 1; index >= 0; index -= 1) {
      if (buffer[index] !== NEWLINE) continue;
      yield { offset: position + index + 1, text: decode(buffer, index + 1, lineEnd) };
      lineEnd = index;
    }
    carry = buffer.subarray(0, lineEnd + 1);
  }
  if (endKnown && carry.length > 0) {
    yield { offset: 0, text: decode(carry, 0, carry.length - 1) };
  }
}

async function entriesAfter(
  file: FileHandle,
  from: number,
  size: number,
  query: ReadLogQuery,
): Promise<{ lines: InstanceLogLine[]; next: number }> {
  const found: InstanceLogLine[] = [];
  let current: { offset: number; first: string; continuation: string[] } | null = null;
  let next = from;
  for await (const line of linesForward(file, from, size)) {
    if (current !== null && !isHeaderLine(line.text)) {
      current.continuation.push(line.text);
      next = line.end;
      continue;
    }
    if (current !== null) {
      const entry = parseLogEntry(current.offset, current.first, current.continuation);
      if (isAtLeast(entry.level, query.level)) found.push(entry);
      // Stop before this line: the next read starts with it.
      if (found.length >= query.limit) return { lines: found, next: line.offset };
    }
    current = { offset: line.offset, first: line.text, continuation: [] };
    next = line.end;
  }
  if (current !== null) {
    const entry = parseLogEntry(current.offset, current.first, current.continuation);
    if (isAtLeast(entry.level, query.level)) found.push(entry);
  }
  return { lines: found, next };
}

async function* linesForward(
  file: FileHandle,
  from: number,
  size: number,
): AsyncGenerator<Line & { end: number }> {
  let position = from;
  let carry = Buffer.alloc(0);
  let carryOffset = from;
  while (position < size) {
    const chunk = Buffer.alloc(Math.min(CHUNK_BYTES, size - position));
    await readFully(file, chunk, position);
    position += chunk.length;
    const buffer = Buffer.concat([carry, chunk]);
    let start = 0;
    for (
      let index = buffer.indexOf(NEWLINE);
      index !== -1;
      index = buffer.indexOf(NEWLINE, start)
    ) {
      yield {
        offset: carryOffset + start,
        end: carryOffset + index + 1,
        text: decode(buffer, start, index),
      };
      start = index + 1;
    }
    carry = buffer.subarray(start);
    carryOffset += start;
  }
}

async function readFully(file: FileHandle, into: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < into.length) {
    const { bytesRead } = await file.read(into, done, into.length - done, position + done);
    if (bytesRead === 0) throw new Error('the log file shrank while it was read');
    done += bytesRead;
  }
}

/** Bytes [start, end) as text, without a trailing "\r". */
function decode(buffer: Buffer, start: number, end: number): string {
  return buffer.toString('utf8', start, end).replace(/\r$/, '');
}
