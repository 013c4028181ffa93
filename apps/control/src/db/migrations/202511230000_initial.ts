import { type Kysely, sql } from 'kysely';

// Migrations take Kysely<unknown>: they must not depend on today's table types.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE users (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      email text NOT NULL,
      password_hash text NOT NULL,
      role text NOT NULL DEFAULT 'admin',
      is_active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_login_at timestamptz
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX users_email_key ON users (lower(email))`.execute(db);

  await sql`
    CREATE TABLE sessions (
      id text PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      ip text,
      user_agent text
    )`.execute(db);
  await sql`CREATE INDEX sessions_user_id_idx ON sessions (user_id)`.execute(db);

  await sql`
    CREATE TABLE login_failures (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      key text NOT NULL,
      failed_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX login_failures_key_idx ON login_failures (key, failed_at)`.execute(db);

  await sql`
    CREATE TABLE servers (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL,
      agent_url text NOT NULL,
      domain text NOT NULL DEFAULT '',
      token_ciphertext text NOT NULL,
      token_preview text NOT NULL,
      status text NOT NULL DEFAULT 'unknown' CHECK (status IN ('active', 'inactive', 'unknown')),
      agent_version text,
      runtime text,
      last_seen_at timestamptz,
      last_error text,
      latency_ms integer,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX servers_name_key ON servers (lower(name))`.execute(db);

  await sql`
    CREATE TABLE instances (
      server_id uuid NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
      name text NOT NULL,
      version text NOT NULL,
      edition text NOT NULL,
      type text NOT NULL,
      parent text,
      status text NOT NULL,
      status_reason text,
      database text NOT NULL,
      http_port integer,
      url text,
      synced_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (server_id, name)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE instances, servers, login_failures, sessions, users`.execute(db);
}
