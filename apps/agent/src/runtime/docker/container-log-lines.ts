import type { InstanceLogLine, LogLineLevel } from '@ordo/protocol';
import { isAtLeast, isHeaderLine, parseLogEntry } from '../../odoo/log-entry';

const HEADER_BYTES = 8;

/**
 * The text lines of a container's log as the Engine API sends it: without a TTY, frames of
 * an 8-byte header (stream, 3 zero bytes, big-endian length) and the payload; else plain text.
 */
export function demuxLogs(raw: Buffer | string): string[] {
  const buffer = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
  let text = '';
  if (isMultiplexed(buffer)) {
    const parts: Buffer[] = [];
    let position = 0;
    while (position + HEADER_BYTES <= buffer.length) {
      const length = buffer.readUInt32BE(position + 4);
      parts.push(buffer.subarray(position + HEADER_BYTES, position + HEADER_BYTES + length));
      position += HEADER_BYTES + length;
    }
    text = Buffer.concat(parts).toString('utf8');
  } else {
    text = buffer.toString('utf8');
  }
  return text
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line !== '');
}

function isMultiplexed(buffer: Buffer): boolean {
  return (
    buffer.length >= HEADER_BYTES &&
    (buffer[0] === 0 || buffer[0] === 1 || buffer[0] === 2) &&
    buffer[1] === 0 &&
    buffer[2] === 0 &&
    buffer[3] === 0
  );
}

/**
 * Container output as log records: Odoo-format lines are parsed (continuation lines such as a
 * traceback join their record), anything else is a record without level. The last `limit`.
 */
export function containerLogLines(
  lines: readonly string[],
  query: { level?: LogLineLevel | undefined; limit: number },
): InstanceLogLine[] {
  const records: InstanceLogLine[] = [];
  let current: { index: number; first: string; continuation: string[] } | null = null;
  const flush = () => {
    if (current === null) return;
    const entry = parseLogEntry(current.index, current.first, current.continuation);
    if (isAtLeast(entry.level, query.level)) records.push(entry);
  };
  lines.forEach((line, index) => {
    if (current !== null && isHeaderLine(current.first) && !isHeaderLine(line)) {
      current.continuation.push(line);
      return;
    }
    flush();
    current = { index, first: line, continuation: [] };
  });
  flush();
  return records.slice(-query.limit);
}
