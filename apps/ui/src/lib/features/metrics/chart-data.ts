import type { ErrorBucket } from '@ordo/protocol';
import type { FleetSample } from '@ordo/protocol/panel';

/** Labels and values of one series, the shape every chart of the panel draws. */
export interface Series {
  labels: string[];
  values: number[];
}

/** Counts of `items` by `key`, most frequent first, then by label. */
export function countBy<T>(items: readonly T[], key: (item: T) => string): Series {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return { labels: sorted.map(([label]) => label), values: sorted.map(([, value]) => value) };
}

/** The six hourly error buckets as bars labelled by local hour ("14h"). */
export function errorBars(buckets: readonly ErrorBucket[]): Series {
  return {
    labels: buckets.map(
      (bucket) => `${String(new Date(bucket.hour).getHours()).padStart(2, '0')}h`,
    ),
    values: buckets.map((bucket) => bucket.count),
  };
}

/** "a: 1, b: 2": what a chart shows, for screen readers (and tests). */
export function describeSeries(title: string, series: Series): string {
  const parts = series.labels.map((label, index) => `${label}: ${series.values[index] ?? 0}`);
  return `${title}: ${parts.length === 0 ? 'no data' : parts.join(', ')}`;
}

/** Keeps the newest sample of each server; an older one arriving late does not win. */
export function mergeSample(
  latest: Readonly<Record<string, FleetSample>>,
  sample: FleetSample,
): Record<string, FleetSample> {
  const current = latest[sample.serverId];
  if (current && new Date(current.at).getTime() > new Date(sample.at).getTime())
    return { ...latest };
  return { ...latest, [sample.serverId]: sample };
}
