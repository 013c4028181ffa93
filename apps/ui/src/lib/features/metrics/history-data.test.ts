import type { InstanceMetricsPoint, ServerMetricsPoint } from '@ordo/protocol/panel';
import { describe, expect, it } from 'vitest';
import { describeHistory, historyLabel, instanceHistory, serverHistory } from './history-data';

const GB = 1024 ** 3;

function serverPoint(at: string, cpuPercent: number, memoryUsedGb: number): ServerMetricsPoint {
  return {
    at,
    server: {
      cpuPercent,
      cores: 2,
      memoryUsedBytes: memoryUsedGb * GB,
      memoryTotalBytes: 4 * GB,
      diskUsedBytes: 10 * GB,
      diskTotalBytes: 40 * GB,
      load: [1.234, 0.8, 0.56],
      uptimeSeconds: 100,
      networkRxBytes: 0,
      networkTxBytes: 0,
    },
  };
}

function instancePoint(at: string, memoryMb: number, httpUp: boolean): InstanceMetricsPoint {
  return {
    at,
    instance: {
      name: 'shop',
      httpUp,
      dbConnectionsActive: 2,
      dbConnectionsIdle: 5,
      errorsPerHour: [],
      memoryBytes: memoryMb * 1024 * 1024,
      workers: 2,
      blockedLocks: 0,
      deadlocks: 0,
      databaseSizeBytes: 25 * 1024 * 1024,
      filestoreSizeBytes: 1.5 * 1024 * 1024,
    },
  };
}

describe('history charts', () => {
  it('labels points by local time, with the weekday over a week', () => {
    const at = new Date(2026, 10, 23, 9, 5).toISOString();
    expect(historyLabel(at, '1h')).toBe('09:05:00');
    expect(historyLabel(at, '24h')).toBe('09:05');
    expect(historyLabel(at, '7d')).toBe('Mon 09:05');
  });

  it('turns server samples into CPU, RAM/disk share and load lines', () => {
    const points = [
      serverPoint('2026-11-23T09:00:00.000Z', 12.34, 1),
      serverPoint('2026-11-23T09:00:05.000Z', 80, 3),
    ];
    const [cpu, usage, load] = serverHistory(points, '1h');
    expect(cpu?.lines[0]?.values).toEqual([12.3, 80]);
    expect(cpu?.max).toBe(100);
    expect(usage?.lines.map((line) => [line.label, line.values])).toEqual([
      ['RAM', [25, 75]],
      ['Disk', [25, 25]],
    ]);
    expect(load?.lines[0]?.values).toEqual([1.2, 1.2]);
    expect(cpu?.labels).toHaveLength(2);
    expect(cpu && describeHistory(cpu)).toBe('CPU: CPU: last 80 %, peak 80 %');
  });

  it('turns instance samples into memory, connections, sizes and availability', () => {
    const panels = instanceHistory(
      [
        instancePoint('2026-11-23T09:00:00.000Z', 300, true),
        instancePoint('2026-11-23T09:01:00.000Z', 420, false),
      ],
      '6h',
    );
    expect(panels.map((panel) => panel.title)).toEqual([
      'Memory',
      'Database connections',
      'Database and filestore size',
      'HTTP availability',
    ]);
    expect(panels[0]?.lines[0]?.values).toEqual([300, 420]);
    expect(panels[2]?.lines.map((line) => line.values)).toEqual([
      [25, 25],
      [1.5, 1.5],
    ]);
    expect(panels[3]?.lines[0]?.values).toEqual([100, 0]);
  });

  it('says when a chart has no data', () => {
    const [cpu] = serverHistory([], '15m');
    expect(cpu && describeHistory(cpu)).toBe('CPU: CPU: no data');
  });
});
