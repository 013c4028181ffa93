import { LogLineLevel } from '@ordo/protocol';
import type { InstanceLogLine } from '@ordo/protocol';
import type { Tone } from '../../components/tone';

/** The level filter's choices: every line, or lines at or above a level (as the agent filters). */
export const LEVEL_CHOICES: readonly { value: LogLineLevel | ''; label: string }[] = [
  { value: '', label: 'All levels' },
  ...LogLineLevel.options.map((level) => ({ value: level, label: `${capitalizeLevel(level)}+` })),
];

/** Lines the Logs dialog keeps; older ones scroll away as newer ones arrive. */
export const MAX_LOG_LINES = 1000;

export function parseLevelChoice(value: string): LogLineLevel | undefined {
  const parsed = LogLineLevel.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/**
 * Appends lines fetched with a cursor. A line at or before the last offset held is a repeat
 * (the file was read twice around a write), so it is skipped; only the newest `max` are kept.
 */
export function appendNewerLines(
  current: readonly InstanceLogLine[],
  newer: readonly InstanceLogLine[],
  max: number = MAX_LOG_LINES,
): InstanceLogLine[] {
  const last = current.at(-1)?.offset ?? -1;
  const merged = [...current, ...newer.filter((line) => line.offset > last)];
  return merged.length > max ? merged.slice(merged.length - max) : merged;
}

export function levelTone(level: LogLineLevel | null): Tone {
  switch (level) {
    case 'CRITICAL':
    case 'ERROR':
      return 'danger';
    case 'WARNING':
      return 'warning';
    case 'INFO':
      return 'info';
    case 'DEBUG':
    case null:
      return 'neutral';
  }
}

/** "2025-01-01 10:00:00,123" → "10:00:00" when it is today; the full stamp stays in a tooltip. */
export function shortLogTime(time: string | null): string {
  if (time === null) return '';
  const match = /\d{2}:\d{2}:\d{2}/.exec(time);
  return match ? match[0] : time;
}

function capitalizeLevel(level: LogLineLevel): string {
  return level.charAt(0) + level.slice(1).toLowerCase();
}
