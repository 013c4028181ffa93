import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { Role } from '@ordo/protocol/panel';
import type { AccountTables } from './account-types';
import type { MetricsTables } from './metrics-types';
import type { GitReposTables } from './repos-types';
import type { ServerMigrationTables } from './server-migration-types';

/** timestamptz: pg returns Date; writes accept Date or an ISO string. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface UsersTable {
  id: Generated<string>;
  email: string;
  password_hash: string;
  /** The CHECK constraint keeps it one of the roles. */
  role: ColumnType<Role, Role | undefined, Role>;
  is_active: Generated<boolean>;
  created_at: DefaultedTimestamp;
  last_login_at: Timestamp | null;
  allow_user_management: Generated<boolean>;
  /** The one server the account is limited to; null: every server. */
  server_id: string | null;
  mfa_method: ColumnType<
    'totp' | 'email' | null,
    'totp' | 'email' | null | undefined,
    'totp' | 'email' | null
  >;
  totp_secret_ciphertext: string | null;
  totp_pending_ciphertext: string | null;
  totp_pending_created_at: Timestamp | null;
  /** bigint: pg returns a string. */
  totp_last_step: ColumnType<
    string | null,
    number | string | null | undefined,
    number | string | null
  >;
  mfa_enabled_at: Timestamp | null;
  password_changed_at: Timestamp | null;
  updated_at: DefaultedTimestamp;
}

export interface SessionsTable {
  /** sha256 hex of the cookie token: a stolen database cannot be replayed as cookies. */
  id: string;
  user_id: string;
  created_at: DefaultedTimestamp;
  last_seen_at: DefaultedTimestamp;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}

export interface LoginFailuresTable {
  id: Generated<string>;
  /** `email:<address>` or `ip:<address>`. */
  key: string;
  failed_at: DefaultedTimestamp;
}

export interface ServersTable {
  id: Generated<string>;
  name: string;
  agent_url: string;
  domain: Generated<string>;
  token_ciphertext: string;
  token_preview: string;
  status: Generated<string>;
  agent_version: string | null;
  runtime: string | null;
  last_seen_at: Timestamp | null;
  last_error: string | null;
  latency_ms: number | null;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

export interface InstancesTable {
  server_id: string;
  name: string;
  version: string;
  edition: string;
  type: string;
  parent: string | null;
  status: string;
  status_reason: string | null;
  database: string;
  http_port: number | null;
  url: string | null;
  synced_at: DefaultedTimestamp;
}

/** The control plane's mirror of an agent job; `id` is the agent's job id. */
export interface JobsTable {
  id: string;
  server_id: string;
  kind: string;
  state: string;
  progress: number | null;
  target: string;
  requested_by_user_id: string | null;
  requested_by: string | null;
  error_code: string | null;
  error_message: string | null;
  created_at: Timestamp;
  started_at: Timestamp | null;
  ended_at: Timestamp | null;
  /** Byte offset in the agent's log up to which chunks are stored. bigint: pg returns a string. */
  log_offset: ColumnType<string, number | string | undefined, number | string>;
  /** True once the whole log and the final state are mirrored: nothing left to follow. */
  log_complete: Generated<boolean>;
  updated_at: DefaultedTimestamp;
  /** The audited action that started the job (set after the mutation answers). */
  audit_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** `agent`: mirrored from an agent by the follower; `control`: run here (a migration). */
  runner: ColumnType<'agent' | 'control', 'agent' | 'control' | undefined, 'agent' | 'control'>;
}

export interface JobLogChunksTable {
  job_id: string;
  start_offset: ColumnType<string, number | string, number | string>;
  end_offset: ColumnType<string, number | string, number | string>;
  text: string;
}

export interface InstanceSecretsTable {
  server_id: string;
  instance_name: string;
  kind: 'master' | 'admin';
  /** Secret box output; never the plain password. */
  ciphertext: string;
  created_at: DefaultedTimestamp;
}

export interface Database
  extends AccountTables, MetricsTables, GitReposTables, ServerMigrationTables {
  users: UsersTable;
  sessions: SessionsTable;
  login_failures: LoginFailuresTable;
  servers: ServersTable;
  instances: InstancesTable;
  jobs: JobsTable;
  job_log_chunks: JobLogChunksTable;
  instance_secrets: InstanceSecretsTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserChanges = Updateable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
export type ServerRow = Selectable<ServersTable>;
export type NewServer = Insertable<ServersTable>;
export type ServerChanges = Updateable<ServersTable>;
export type InstanceRow = Selectable<InstancesTable>;
export type NewInstance = Insertable<InstancesTable>;
export type JobRow = Selectable<JobsTable>;
export type NewJob = Insertable<JobsTable>;
export type JobChanges = Updateable<JobsTable>;
export type JobLogChunkRow = Selectable<JobLogChunksTable>;
