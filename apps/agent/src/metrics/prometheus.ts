import type { MetricsSnapshot } from '@ordo/protocol';

type Labels = Record<string, string>;

interface Family {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  samples: { labels: Labels; value: number }[];
}

/** Label values escape backslash, double quote and newline (exposition format 0.0.4). */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function formatLabels(labels: Labels): string {
  const parts = Object.entries(labels).map(([key, value]) => `${key}="${escapeLabelValue(value)}"`);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

export function renderFamilies(families: Family[]): string {
  const lines: string[] = [];
  for (const family of families) {
    lines.push(`# HELP ${family.name} ${family.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`);
    lines.push(`# TYPE ${family.name} ${family.type}`);
    for (const sample of family.samples) {
      lines.push(`${family.name}${formatLabels(sample.labels)} ${formatValue(sample.value)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The snapshot as Prometheus text, every series labelled with `server` (and `instance`). */
export function toPrometheus(snapshot: MetricsSnapshot, server: string): string {
  const s = snapshot.server;
  const host = (name: string, help: string, value: number, type: Family['type'] = 'gauge') => ({
    name: `ordo_server_${name}`,
    help,
    type,
    samples: [{ labels: { server }, value }],
  });
  const perInstance = (
    name: string,
    help: string,
    values: (
      instance: MetricsSnapshot['instances'][number],
    ) => { labels?: Labels; value: number }[],
    type: Family['type'] = 'gauge',
  ): Family => ({
    name: `ordo_instance_${name}`,
    help,
    type,
    samples: snapshot.instances.flatMap((instance) =>
      values(instance).map(({ labels = {}, value }) => ({
        labels: { server, instance: instance.name, ...labels },
        value,
      })),
    ),
  });
  const [load1, load5, load15] = s.load;
  return renderFamilies([
    host('cpu_percent', 'CPU busy share of all cores, percent', s.cpuPercent),
    host('cpu_cores', 'Number of CPU cores', s.cores),
    host('memory_used_bytes', 'Memory in use (total minus available)', s.memoryUsedBytes),
    host('memory_total_bytes', 'Total memory', s.memoryTotalBytes),
    host('disk_used_bytes', 'Used bytes of the agent data filesystem', s.diskUsedBytes),
    host('disk_total_bytes', 'Size of the agent data filesystem', s.diskTotalBytes),
    {
      name: 'ordo_server_load',
      help: 'Load average',
      type: 'gauge',
      samples: [
        { labels: { server, period: '1m' }, value: load1 },
        { labels: { server, period: '5m' }, value: load5 },
        { labels: { server, period: '15m' }, value: load15 },
      ],
    },
    host('uptime_seconds', 'Seconds since boot', s.uptimeSeconds),
    host(
      'network_receive_bytes_total',
      'Bytes received, loopback excluded',
      s.networkRxBytes,
      'counter',
    ),
    host(
      'network_transmit_bytes_total',
      'Bytes sent, loopback excluded',
      s.networkTxBytes,
      'counter',
    ),
    perInstance('up', 'Whether /web/health answers 200', (i) => [{ value: i.httpUp ? 1 : 0 }]),
    perInstance('db_connections', 'Connections to the instance database by state', (i) => [
      { labels: { state: 'active' }, value: i.dbConnectionsActive },
      { labels: { state: 'idle' }, value: i.dbConnectionsIdle },
    ]),
    perInstance('errors_last_hour', 'ERROR and CRITICAL log lines in the current hour', (i) => [
      { value: i.errorsPerHour.at(-1)?.count ?? 0 },
    ]),
    perInstance('memory_bytes', 'Resident memory of all its processes', (i) => [
      { value: i.memoryBytes },
    ]),
    perInstance('workers', 'Odoo worker processes', (i) => [{ value: i.workers }]),
    perInstance('blocked_locks', 'Sessions waiting on a lock of another', (i) => [
      { value: i.blockedLocks },
    ]),
    perInstance(
      'deadlocks_total',
      'Deadlocks detected in its database',
      (i) => [{ value: i.deadlocks }],
      'counter',
    ),
    perInstance('database_size_bytes', 'Size of its database', (i) => [
      { value: i.databaseSizeBytes },
    ]),
    perInstance('filestore_size_bytes', 'Size of its filestore', (i) => [
      { value: i.filestoreSizeBytes },
    ]),
  ]);
}
