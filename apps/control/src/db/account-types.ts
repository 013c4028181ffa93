import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** timestamptz: pg returns Date; writes accept Date or an ISO string. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface MfaRecoveryCodesTable {
  id: Generated<string>;
  user_id: string;
  /** sha256 hex of the normalised code. */
  code_hash: string;
  used_at: Timestamp | null;
  created_at: DefaultedTimestamp;
}

export interface MfaChallengesTable {
  /** sha256 hex of the challenge id the browser holds. */
  id: string;
  user_id: string;
  purpose: 'login' | 'enroll_email';
  method: 'totp' | 'email';
  /** sha256 hex of the emailed code (email method only). */
  code_hash: string | null;
  code_sent_at: Timestamp | null;
  attempts: Generated<number>;
  created_at: DefaultedTimestamp;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}

export interface PasswordResetTokensTable {
  /** sha256 hex of the token in the link. */
  id: string;
  user_id: string;
  created_at: DefaultedTimestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  created_by: string | null;
}

export interface SettingsTable {
  key: string;
  /** jsonb: read back through a zod schema. */
  value: ColumnType<unknown, string, string>;
  updated_at: DefaultedTimestamp;
  updated_by: string | null;
}

export interface EmailOutboxTable {
  id: Generated<string>;
  kind: string;
  to_address: string;
  subject: string;
  body_ciphertext: string | null;
  status: Generated<'queued' | 'sending' | 'sent' | 'failed'>;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  next_attempt_at: DefaultedTimestamp;
  locked_until: Timestamp | null;
  last_error: string | null;
  message_id: string | null;
  created_by: string | null;
  created_at: DefaultedTimestamp;
  sent_at: Timestamp | null;
  updated_at: DefaultedTimestamp;
}

export interface AuditLogTable {
  id: Generated<string>;
  at: DefaultedTimestamp;
  user_id: string | null;
  user_email: string | null;
  role: string | null;
  action: string;
  target: string | null;
  /** jsonb; written as JSON text. */
  params: ColumnType<unknown, string, string>;
  result: Generated<'pending' | 'ok' | 'error'>;
  error_code: string | null;
  error_message: string | null;
  ip: string | null;
  user_agent: string | null;
  finished_at: Timestamp | null;
}

/** The tables of accounts and security (users' own columns are in `UsersTable`). */
export interface AccountTables {
  mfa_recovery_codes: MfaRecoveryCodesTable;
  mfa_challenges: MfaChallengesTable;
  password_reset_tokens: PasswordResetTokensTable;
  settings: SettingsTable;
  email_outbox: EmailOutboxTable;
  audit_log: AuditLogTable;
}

export type MfaChallengeRow = Selectable<MfaChallengesTable>;
export type NewMfaChallenge = Insertable<MfaChallengesTable>;
export type EmailOutboxRow = Selectable<EmailOutboxTable>;
export type NewEmail = Insertable<EmailOutboxTable>;
export type AuditLogRow = Selectable<AuditLogTable>;
