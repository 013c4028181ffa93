import { type Kysely, sql } from 'kysely';

// Migrations take Kysely<unknown>: they must not depend on today's table types.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE jobs (
      id text PRIMARY KEY,
      server_id uuid NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
      kind text NOT NULL,
      state text NOT NULL
        CHECK (state IN ('pending', 'running', 'succeeded', 'failed', 'cancelled')),
      progress double precision,
      target text NOT NULL,
      requested_by_user_id uuid REFERENCES users (id) ON DELETE SET NULL,
      requested_by text,
      error_code text,
      error_message text,
      created_at timestamptz NOT NULL,
      started_at timestamptz,
      ended_at timestamptz,
      log_offset bigint NOT NULL DEFAULT 0,
      log_complete boolean NOT NULL DEFAULT false,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX jobs_created_at_idx ON jobs (created_at DESC, id DESC)`.execute(db);
  await sql`CREATE INDEX jobs_server_id_idx ON jobs (server_id, created_at DESC)`.execute(db);
  // The follower's work list: every job whose log or end is not mirrored yet.
  await sql`CREATE INDEX jobs_unfollowed_idx ON jobs (created_at) WHERE NOT log_complete`.execute(
    db,
  );

  await sql`
    CREATE TABLE job_log_chunks (
      job_id text NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
      start_offset bigint NOT NULL,
      end_offset bigint NOT NULL CHECK (end_offset > start_offset),
      text text NOT NULL,
      PRIMARY KEY (job_id, end_offset)
    )`.execute(db);

  await sql`
    CREATE TABLE instance_secrets (
      server_id uuid NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
      instance_name text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('master', 'admin')),
      ciphertext text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (server_id, instance_name, kind)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE instance_secrets, job_log_chunks, jobs`.execute(db);
}
