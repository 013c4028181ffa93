import type { FleetSample } from '@ordo/protocol/panel';
import { describe, expect, it } from 'vitest';
import { countBy, describeSeries, errorBars, mergeSample } from './chart-data';

function sample(serverId: string, at: string, cpuPercent = 10): FleetSample {
  return {
    serverId,
    at,
    server: {
      cpuPercent,
      cores: 2,
      memoryUsedBytes: 1,
      memoryTotalBytes: 2,
      diskUsedBytes: 1,
      diskTotalBytes: 2,
      load: [0, 0, 0],
      uptimeSeconds: 1,
      networkRxBytes: 0,
      networkTxBytes: 0,
    },
    instances: [],
  };
}

describe('countBy', () => {
  it('counts by key, most frequent first then by label', () => {
    const items = ['17.0', '16.0', '17.0', '18.0'];
    expect(countBy(items, (item) => item)).toEqual({
      labels: ['17.0', '16.0', '18.0'],
      values: [2, 1, 1],
    });
  });

  it('is empty for no items', () => {
    expect(countBy([], String)).toEqual({ labels: [], values: [] });
  });
});

describe('errorBars', () => {
  it('labels each bucket by its local hour', () => {
    const hour = new Date(2026, 0, 1, 9).toISOString();
    const next = new Date(2026, 0, 1, 10).toISOString();
    expect(
      errorBars([
        { hour, count: 2 },
        { hour: next, count: 0 },
      ]),
    ).toEqual({ labels: ['09h', '10h'], values: [2, 0] });
  });
});

describe('describeSeries', () => {
  it('lists labels with their values, or says there is no data', () => {
    expect(describeSeries('By status', { labels: ['Running', 'Stopped'], values: [1, 0] })).toBe(
      'By status: Running: 1, Stopped: 0',
    );
    expect(describeSeries('By server', { labels: [], values: [] })).toBe('By server: no data');
  });
});

describe('mergeSample', () => {
  it('keeps the newest sample per server', () => {
    const first = mergeSample({}, sample('a', '2026-01-01T00:00:01Z', 10));
    const second = mergeSample(first, sample('b', '2026-01-01T00:00:01Z'));
    const newer = mergeSample(second, sample('a', '2026-01-01T00:00:02Z', 20));
    expect(newer.a?.server.cpuPercent).toBe(20);
    expect(Object.keys(newer).sort()).toEqual(['a', 'b']);
  });

  it('ignores a late older sample', () => {
    const latest = mergeSample({}, sample('a', '2026-01-01T00:00:02Z', 20));
    expect(mergeSample(latest, sample('a', '2026-01-01T00:00:01Z', 10)).a?.server.cpuPercent).toBe(
      20,
    );
  });
});
