import type { InstanceMetricsPoint, MetricsRange, ServerMetricsPoint } from '@ordo/protocol/panel';
import { percentOf } from './metrics-format';

/** One line of a history chart; `color` is a CSS custom property name. */
export interface HistoryLine {
  label: string;
  values: number[];
  color: string;
}

/** One chart of a history dialog: shared time labels, one or more lines. */
export interface HistoryPanel {
  title: string;
  unit: string;
  labels: string[];
  lines: HistoryLine[];
  /** Fixed top of the y axis (percentages), else Chart.js picks one. */
  max?: number;
}

export const HISTORY_RANGES: readonly { value: MetricsRange; label: string }[] = [
  { value: '15m', label: '15 min' },
  { value: '1h', label: '1 h' },
  { value: '6h', label: '6 h' },
  { value: '24h', label: '24 h' },
  { value: '7d', label: '7 days' },
];

const MB = 1024 * 1024;

const two = (value: number) => String(value).padStart(2, '0');

/**
 * "14:05:10" within an hour (samples come every few seconds), "14:05" within a day, "Mon 14:05"
 * over a week, where the time alone repeats.
 */
export function historyLabel(at: string, range: MetricsRange): string {
  const date = new Date(at);
  const time = `${two(date.getHours())}:${two(date.getMinutes())}`;
  if (range === '15m' || range === '1h') return `${time}:${two(date.getSeconds())}`;
  if (range !== '7d') return time;
  return `${date.toLocaleDateString('en-GB', { weekday: 'short' })} ${time}`;
}

const round1 = (value: number) => Math.round(value * 10) / 10;

export function serverHistory(
  points: readonly ServerMetricsPoint[],
  range: MetricsRange,
): HistoryPanel[] {
  const labels = points.map((point) => historyLabel(point.at, range));
  const pick = (read: (point: ServerMetricsPoint) => number) => points.map(read);
  return [
    {
      title: 'CPU',
      unit: '%',
      labels,
      max: 100,
      lines: [
        { label: 'CPU', values: pick((p) => round1(p.server.cpuPercent)), color: '--accent' },
      ],
    },
    {
      title: 'Memory and disk used',
      unit: '%',
      labels,
      max: 100,
      lines: [
        {
          label: 'RAM',
          values: pick((p) => percentOf(p.server.memoryUsedBytes, p.server.memoryTotalBytes)),
          color: '--info-dot',
        },
        {
          label: 'Disk',
          values: pick((p) => percentOf(p.server.diskUsedBytes, p.server.diskTotalBytes)),
          color: '--warning-dot',
        },
      ],
    },
    {
      title: 'Load average',
      unit: '',
      labels,
      lines: [
        { label: '1 min', values: pick((p) => round1(p.server.load[0])), color: '--accent' },
        { label: '15 min', values: pick((p) => round1(p.server.load[2])), color: '--neutral-dot' },
      ],
    },
  ];
}

export function instanceHistory(
  points: readonly InstanceMetricsPoint[],
  range: MetricsRange,
): HistoryPanel[] {
  const labels = points.map((point) => historyLabel(point.at, range));
  const pick = (read: (point: InstanceMetricsPoint) => number) => points.map(read);
  return [
    {
      title: 'Memory',
      unit: 'MB',
      labels,
      lines: [
        {
          label: 'Memory',
          values: pick((p) => Math.round(p.instance.memoryBytes / MB)),
          color: '--accent',
        },
      ],
    },
    {
      title: 'Database connections',
      unit: '',
      labels,
      lines: [
        { label: 'Active', values: pick((p) => p.instance.dbConnectionsActive), color: '--accent' },
        {
          label: 'Idle',
          values: pick((p) => p.instance.dbConnectionsIdle),
          color: '--neutral-dot',
        },
      ],
    },
    {
      title: 'Database and filestore size',
      unit: 'MB',
      labels,
      lines: [
        {
          label: 'Database',
          values: pick((p) => round1(p.instance.databaseSizeBytes / MB)),
          color: '--info-dot',
        },
        {
          label: 'Filestore',
          values: pick((p) => round1(p.instance.filestoreSizeBytes / MB)),
          color: '--success-dot',
        },
      ],
    },
    {
      title: 'HTTP availability',
      unit: '%',
      labels,
      max: 100,
      // Beyond an hour a point is a minute's average: up only if every poll found it up.
      lines: [
        {
          label: 'Up',
          values: pick((p) => (p.instance.httpUp ? 100 : 0)),
          color: '--success-dot',
        },
      ],
    },
  ];
}

/** "CPU (%): last 12, peak 80": what a history chart shows, for screen readers and tests. */
export function describeHistory(panel: HistoryPanel): string {
  const unit = panel.unit === '' ? '' : ` ${panel.unit}`;
  const parts = panel.lines.map((line) => {
    if (line.values.length === 0) return `${line.label}: no data`;
    const last = line.values[line.values.length - 1] ?? 0;
    return `${line.label}: last ${last}${unit}, peak ${Math.max(...line.values)}${unit}`;
  });
  return `${panel.title}: ${parts.join('; ')}`;
}
