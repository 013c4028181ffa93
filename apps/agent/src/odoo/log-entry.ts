import type { InstanceLogLine, LogLineLevel } from '@ordo/protocol';

// `%(asctime)s %(pid)s %(levelname)s %(dbname)s %(name)s: %(message)s %(perf_info)s`
// (odoo/netsvc.py); asctime is UTC with milliseconds after a comma.
const HEADER =
  /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}),(\d{3}) (\d+) (DEBUG|INFO|WARNING|ERROR|CRITICAL) (\S+) (\S+?): ?(.*)$/;

export const LEVEL_ORDER: readonly LogLineLevel[] = [
  'DEBUG',
  'INFO',
  'WARNING',
  'ERROR',
  'CRITICAL',
];

export function isAtLeast(level: LogLineLevel | null, minimum: LogLineLevel | undefined): boolean {
  if (minimum === undefined) return true;
  return level !== null && LEVEL_ORDER.indexOf(level) >= LEVEL_ORDER.indexOf(minimum);
}

/** Whether a line starts a log record; anything else (a traceback line) continues one. */
export function isHeaderLine(line: string): boolean {
  return HEADER.test(line);
}

/**
 * One record from its first line (at byte `offset`) and its continuation lines. A file that
 * starts with continuation lines yields a record without time, pid or level.
 */
export function parseLogEntry(
  offset: number,
  first: string,
  continuation: readonly string[],
): InstanceLogLine {
  const match = HEADER.exec(first);
  const rest = continuation.length > 0 ? `\n${continuation.join('\n')}` : '';
  if (!match) {
    return {
      offset,
      time: null,
      pid: null,
      level: null,
      database: null,
      logger: null,
      message: `${first}${rest}`.trimEnd(),
    };
  }
  const [, date, time, millis, pid, level, database, logger, message] = match;
  return {
    offset,
    time: `${date}T${time}.${millis}Z`,
    pid: Number(pid),
    level: level as LogLineLevel,
    database: database === '?' ? null : (database ?? null),
    logger: logger ?? null,
    // Odoo ends every record with " <perf_info>", which is empty outside request lines.
    message: `${(message ?? '').trimEnd()}${rest}`.trimEnd(),
  };
}
