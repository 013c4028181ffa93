import type { InstanceLogLine } from '@ordo/protocol';
import { describe, expect, it } from 'vitest';
import {
  appendNewerLines,
  LEVEL_CHOICES,
  levelTone,
  parseLevelChoice,
  shortLogTime,
} from './log-lines';

const line = (offset: number, message = `line ${offset}`): InstanceLogLine => ({
  offset,
  time: '2025-01-01 10:00:00,123',
  pid: 42,
  level: 'INFO',
  database: 'shop',
  logger: 'odoo.modules.loading',
  message,
});

describe('appendNewerLines', () => {
  it('appends lines written after the ones held', () => {
    const merged = appendNewerLines([line(0), line(40)], [line(80), line(120)]);
    expect(merged.map((l) => l.offset)).toEqual([0, 40, 80, 120]);
  });

  it('skips lines already held', () => {
    const merged = appendNewerLines([line(0), line(40)], [line(40), line(80)]);
    expect(merged.map((l) => l.offset)).toEqual([0, 40, 80]);
  });

  it('keeps only the newest lines past the limit', () => {
    const merged = appendNewerLines([line(0), line(1)], [line(2), line(3)], 3);
    expect(merged.map((l) => l.offset)).toEqual([1, 2, 3]);
  });

  it('starts from nothing', () => {
    expect(appendNewerLines([], [line(5)]).map((l) => l.offset)).toEqual([5]);
  });
});

describe('level filter', () => {
  it('offers every level from the protocol, after "All levels"', () => {
    expect(LEVEL_CHOICES.map((choice) => choice.value)).toEqual([
      '',
      'DEBUG',
      'INFO',
      'WARNING',
      'ERROR',
      'CRITICAL',
    ]);
    expect(LEVEL_CHOICES[3]?.label).toBe('Warning+');
  });

  it('reads the select value back, "All levels" as no filter', () => {
    expect(parseLevelChoice('ERROR')).toBe('ERROR');
    expect(parseLevelChoice('')).toBeUndefined();
    expect(parseLevelChoice('error')).toBeUndefined();
  });

  it('colours levels by severity', () => {
    expect(levelTone('CRITICAL')).toBe('danger');
    expect(levelTone('WARNING')).toBe('warning');
    expect(levelTone(null)).toBe('neutral');
  });
});

describe('shortLogTime', () => {
  it('keeps the time of day', () => {
    expect(shortLogTime('2025-01-01 10:00:00,123')).toBe('10:00:00');
    expect(shortLogTime(null)).toBe('');
    expect(shortLogTime('garbled')).toBe('garbled');
  });
});
