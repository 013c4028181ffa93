import { describe, expect, it } from 'vitest';
import {
  formatAge,
  formatBytes,
  formatLoad,
  formatMegabytes,
  formatPercent,
  formatUptime,
  percentOf,
} from './metrics-format';

describe('formatBytes', () => {
  it('uses binary multiples with one decimal below 100', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(8 * 1024 ** 3)).toBe('8.0 GB');
    expect(formatBytes(250 * 1024 ** 3)).toBe('250 GB');
    expect(formatBytes(3 * 1024 ** 5)).toBe('3072 TB');
  });

  it('shows a negative count as zero', () => {
    expect(formatBytes(-5)).toBe('0 B');
  });
});

describe('formatMegabytes and percentages', () => {
  it('rounds memory to whole megabytes', () => {
    expect(formatMegabytes(150 * 1024 * 1024 + 700_000)).toBe('151 MB');
  });

  it('computes a bounded share, 0 for an unknown total', () => {
    expect(percentOf(1, 4)).toBe(25);
    expect(percentOf(5, 4)).toBe(100);
    expect(percentOf(1, 0)).toBe(0);
    expect(formatPercent(12.6)).toBe('13 %');
  });
});

describe('formatUptime', () => {
  it('keeps the two largest units', () => {
    expect(formatUptime(42)).toBe('42 s');
    expect(formatUptime(125)).toBe('2 min');
    expect(formatUptime(3 * 3600 + 5 * 60)).toBe('3 h 5 min');
    expect(formatUptime(93_784)).toBe('1 d 2 h');
  });
});

describe('formatLoad and formatAge', () => {
  it('prints the three load averages', () => {
    expect(formatLoad([0.5, 1, 1.234])).toBe('0.50 / 1.00 / 1.23');
  });

  it('tells how old a sample is', () => {
    const now = new Date('2026-01-01T12:00:00Z');
    expect(formatAge('2026-01-01T11:59:57Z', now)).toBe('3 s ago');
    expect(formatAge('2026-01-01T11:55:00Z', now)).toBe('5 min ago');
    expect(formatAge('2026-01-01T09:00:00Z', now)).toBe('3 h ago');
    expect(formatAge('2026-01-01T12:00:05Z', now)).toBe('0 s ago');
  });
});
