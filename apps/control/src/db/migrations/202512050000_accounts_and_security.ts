import { type Kysely, sql } from 'kysely';

// Migrations take Kysely<unknown>: they must not depend on today's table types.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE users
      ADD CONSTRAINT users_role_check
        CHECK (role IN ('viewer', 'developer', 'developer_plus', 'maintainer', 'admin')),
      ADD COLUMN allow_user_management boolean NOT NULL DEFAULT false,
      -- No foreign key: a removed server must leave its users limited to nothing, not to everything.
      ADD COLUMN server_id uuid,
      ADD COLUMN mfa_method text CHECK (mfa_method IN ('totp', 'email')),
      ADD COLUMN totp_secret_ciphertext text,
      ADD COLUMN totp_pending_ciphertext text,
      ADD COLUMN totp_pending_created_at timestamptz,
      -- The last accepted TOTP time step: a code is never accepted twice.
      ADD COLUMN totp_last_step bigint,
      ADD COLUMN mfa_enabled_at timestamptz,
      ADD COLUMN password_changed_at timestamptz,
      ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now()`.execute(db);

  await sql`
    CREATE TABLE mfa_recovery_codes (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      code_hash text NOT NULL,
      used_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX mfa_recovery_codes_user_idx ON mfa_recovery_codes (user_id)`.execute(db);

  await sql`
    CREATE TABLE mfa_challenges (
      id text PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      purpose text NOT NULL CHECK (purpose IN ('login', 'enroll_email')),
      method text NOT NULL CHECK (method IN ('totp', 'email')),
      code_hash text,
      code_sent_at timestamptz,
      attempts integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      ip text,
      user_agent text
    )`.execute(db);
  await sql`CREATE INDEX mfa_challenges_user_idx ON mfa_challenges (user_id)`.execute(db);

  await sql`
    CREATE TABLE password_reset_tokens (
      id text PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      created_by uuid REFERENCES users (id) ON DELETE SET NULL
    )`.execute(db);
  await sql`CREATE INDEX password_reset_tokens_user_idx ON password_reset_tokens (user_id)`.execute(
    db,
  );

  await sql`
    CREATE TABLE settings (
      key text PRIMARY KEY,
      value jsonb NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      updated_by uuid REFERENCES users (id) ON DELETE SET NULL
    )`.execute(db);

  await sql`
    CREATE TABLE email_outbox (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      kind text NOT NULL,
      to_address text NOT NULL,
      subject text NOT NULL,
      -- Secret box output: a body may hold a sign-in code or a reset link.
      body_ciphertext text,
      status text NOT NULL DEFAULT 'queued'
        CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
      attempts integer NOT NULL DEFAULT 0,
      max_attempts integer NOT NULL DEFAULT 5,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      locked_until timestamptz,
      last_error text,
      message_id text,
      created_by uuid REFERENCES users (id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      sent_at timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX email_outbox_created_idx ON email_outbox (created_at DESC)`.execute(db);
  // The worker's work list: only what still has to go.
  await sql`
    CREATE INDEX email_outbox_due_idx ON email_outbox (next_attempt_at)
      WHERE status IN ('queued', 'sending')`.execute(db);

  await sql`
    CREATE TABLE audit_log (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      at timestamptz NOT NULL DEFAULT now(),
      user_id uuid REFERENCES users (id) ON DELETE SET NULL,
      user_email text,
      role text,
      action text NOT NULL,
      target text,
      params jsonb NOT NULL DEFAULT '{}',
      result text NOT NULL DEFAULT 'pending' CHECK (result IN ('pending', 'ok', 'error')),
      error_code text,
      error_message text,
      ip text,
      user_agent text,
      finished_at timestamptz
    )`.execute(db);
  await sql`CREATE INDEX audit_log_at_idx ON audit_log (at DESC, id DESC)`.execute(db);
  await sql`CREATE INDEX audit_log_user_idx ON audit_log (user_id, at DESC)`.execute(db);
  await sql`CREATE INDEX audit_log_action_idx ON audit_log (action, at DESC)`.execute(db);

  // An agent job links back to the audited action that started it.
  await sql`
    ALTER TABLE jobs ADD COLUMN audit_id uuid REFERENCES audit_log (id) ON DELETE SET NULL`.execute(
    db,
  );
  await sql`CREATE INDEX jobs_audit_id_idx ON jobs (audit_id) WHERE audit_id IS NOT NULL`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE jobs DROP COLUMN audit_id`.execute(db);
  await sql`
    DROP TABLE audit_log, email_outbox, settings, password_reset_tokens, mfa_challenges,
      mfa_recovery_codes`.execute(db);
  await sql`
    ALTER TABLE users
      DROP CONSTRAINT users_role_check,
      DROP COLUMN allow_user_management,
      DROP COLUMN server_id,
      DROP COLUMN mfa_method,
      DROP COLUMN totp_secret_ciphertext,
      DROP COLUMN totp_pending_ciphertext,
      DROP COLUMN totp_pending_created_at,
      DROP COLUMN totp_last_step,
      DROP COLUMN mfa_enabled_at,
      DROP COLUMN password_changed_at,
      DROP COLUMN updated_at`.execute(db);
}
