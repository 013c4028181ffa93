import { type Kysely, sql } from 'kysely';

// Migrations take Kysely<unknown>: they must not depend on today's table types.
export async function up(db: Kysely<unknown>): Promise<void> {
  // Who runs a job: an agent (mirrored by the follower) or the control plane itself
  // (a migration talks to two agents), whose log and state it writes directly.
  await sql`
    ALTER TABLE jobs
      ADD COLUMN runner text NOT NULL DEFAULT 'agent' CHECK (runner IN ('agent', 'control'))`.execute(
    db,
  );
  await sql`
    CREATE TABLE server_migrations (
      job_id text PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
      target_server_id uuid REFERENCES servers (id) ON DELETE SET NULL,
      target_server_name text NOT NULL,
      -- One entry per instance (name, type, version, state, step, progress, error).
      items jsonb NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE server_migrations`.execute(db);
  await sql`ALTER TABLE jobs DROP COLUMN runner`.execute(db);
}
