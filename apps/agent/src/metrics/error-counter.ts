import { open, stat } from 'node:fs/promises';

// odoo-facts §7: `YYYY-MM-DD HH:MM:SS,mmm <pid> ERROR|CRITICAL …`, timestamps in UTC.
const ERROR_LINE = /^(\d{4}-\d{2}-\d{2} \d{2}):\d{2}:\d{2},\d{3} \d+ (?:ERROR|CRITICAL) /;
const HOUR_MS = 3_600_000;
const KEEP_HOURS = 6;
/** Read at most this much per sample so a huge backlog never stalls the sampler. */
const MAX_READ_BYTES = 8 * 1024 * 1024;

interface FileCursor {
  ino: number;
  offset: number;
  /** An incomplete last line, kept until its newline arrives. */
  partial: string;
}

/**
 * Counts ERROR/CRITICAL lines of one Odoo log per UTC hour, reading only what was appended since
 * the last call. A new inode (logrotate moved the file) or a shorter file (copytruncate) starts
 * the new file from its beginning; what was counted before stays counted exactly once.
 */
export class ErrorCounter {
  private cursor: FileCursor | null = null;
  private readonly buckets = new Map<number, number>();

  constructor(private readonly logfile: string) {}

  async update(): Promise<void> {
    const info = await stat(this.logfile).catch(() => null);
    if (info === null) return;
    let cursor = this.cursor;
    if (cursor === null || cursor.ino !== info.ino || info.size < cursor.offset) {
      cursor = { ino: info.ino, offset: 0, partial: '' };
    }
    this.cursor = cursor;
    if (info.size === cursor.offset) return;
    const length = Math.min(info.size - cursor.offset, MAX_READ_BYTES);
    const handle = await open(this.logfile, 'r');
    let bytesRead: number;
    const buffer = Buffer.alloc(length);
    try {
      ({ bytesRead } = await handle.read(buffer, 0, length, cursor.offset));
    } finally {
      await handle.close();
    }
    cursor.offset += bytesRead;
    const lines = (cursor.partial + buffer.subarray(0, bytesRead).toString('utf8')).split('\n');
    cursor.partial = lines.pop() ?? '';
    for (const line of lines) this.count(line);
  }

  private count(line: string): void {
    const hour = ERROR_LINE.exec(line)?.[1];
    if (hour === undefined) return;
    const start = Date.parse(`${hour}:00:00Z`);
    if (Number.isNaN(start)) return;
    this.buckets.set(start, (this.buckets.get(start) ?? 0) + 1);
  }

  /** The last six hours ending with the one holding `now`, oldest first. */
  perHour(now: Date): { hour: string; count: number }[] {
    const current = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
    const oldest = current - (KEEP_HOURS - 1) * HOUR_MS;
    for (const key of this.buckets.keys()) if (key < oldest) this.buckets.delete(key);
    return Array.from({ length: KEEP_HOURS }, (_, index) => {
      const start = oldest + index * HOUR_MS;
      return { hour: new Date(start).toISOString(), count: this.buckets.get(start) ?? 0 };
    });
  }
}
