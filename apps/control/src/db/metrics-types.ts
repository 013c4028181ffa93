import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** jsonb: read back as unknown and parsed with the protocol schema; written as JSON text. */
type Json = ColumnType<unknown, string, string>;

export interface MetricSamplesTable {
  /** bigserial: pg returns a string. */
  id: ColumnType<string, never, never>;
  server_id: string;
  resolution: 'raw' | '1m';
  collected_at: Timestamp;
  server: Json;
  instances: Json;
}

export interface MetricLeasesTable {
  server_id: string;
  owner: string;
  expires_at: Timestamp;
}

export interface MetricPollersTable {
  owner: string;
  seen_at: Timestamp;
}

export interface MetricsTables {
  metric_samples: MetricSamplesTable;
  metric_leases: MetricLeasesTable;
  metric_pollers: MetricPollersTable;
}
