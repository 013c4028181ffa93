import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // `raw`: one row per poll, kept an hour; `1m`: minute averages of older rows, kept 7 days.
  await sql`
    CREATE TABLE metric_samples (
      id bigserial PRIMARY KEY,
      server_id uuid NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
      resolution text NOT NULL CHECK (resolution IN ('raw', '1m')),
      collected_at timestamptz NOT NULL,
      server jsonb NOT NULL,
      instances jsonb NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX metric_samples_server_idx
    ON metric_samples (server_id, resolution, collected_at)`.execute(db);
  await sql`CREATE INDEX metric_samples_age_idx ON metric_samples (resolution, collected_at)`.execute(
    db,
  );
  // Which control process polls which server, until when; a lapsed lease is free to take.
  await sql`
    CREATE TABLE metric_leases (
      server_id uuid PRIMARY KEY REFERENCES servers (id) ON DELETE CASCADE,
      owner text NOT NULL,
      expires_at timestamptz NOT NULL
    )`.execute(db);
  // Live pollers, so each one knows its fair share of the servers.
  await sql`
    CREATE TABLE metric_pollers (
      owner text PRIMARY KEY,
      seen_at timestamptz NOT NULL
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE metric_pollers, metric_leases, metric_samples`.execute(db);
}
