import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // The id is also the agent's repository id and the webhook URL's last segment.
  await sql`
    CREATE TABLE git_repos (
      id uuid PRIMARY KEY,
      server_id uuid NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
      instance_name text NOT NULL,
      url text NOT NULL,
      branch text NOT NULL,
      token_ciphertext text,
      webhook_secret_ciphertext text NOT NULL,
      created_by_user_id uuid REFERENCES users (id) ON DELETE SET NULL,
      created_by text,
      created_at timestamptz NOT NULL DEFAULT now(),
      pull_job_id text,
      pull_claimed_at timestamptz,
      pull_pending boolean NOT NULL DEFAULT false,
      UNIQUE (server_id, instance_name, url, branch)
    )`.execute(db);
  await sql`CREATE INDEX git_repos_pull_job_idx ON git_repos (pull_job_id)
    WHERE pull_job_id IS NOT NULL`.execute(db);

  await sql`
    CREATE TABLE git_webhook_deliveries (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      repo_id uuid NOT NULL REFERENCES git_repos (id) ON DELETE CASCADE,
      received_at timestamptz NOT NULL DEFAULT now(),
      provider text NOT NULL CHECK (provider IN ('github', 'gitlab', 'unknown')),
      event text,
      delivery_id text,
      replay_key text,
      ref text,
      commit_sha text,
      result text NOT NULL CHECK (result IN ('accepted', 'ignored', 'refused', 'duplicate')),
      http_status integer NOT NULL,
      message text NOT NULL,
      job_id text
    )`.execute(db);
  // replay_key is set on verified deliveries only: the index is the replay check, race-free.
  await sql`CREATE UNIQUE INDEX git_webhook_deliveries_replay_idx
    ON git_webhook_deliveries (repo_id, replay_key)`.execute(db);
  await sql`CREATE INDEX git_webhook_deliveries_repo_idx
    ON git_webhook_deliveries (repo_id, received_at DESC)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE git_webhook_deliveries, git_repos`.execute(db);
}
