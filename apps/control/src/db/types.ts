import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** timestamptz: pg returns Date; writes accept Date or an ISO string. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface UsersTable {
  id: Generated<string>;
  email: string;
  password_hash: string;
  role: Generated<string>;
  is_active: Generated<boolean>;
  created_at: DefaultedTimestamp;
  last_login_at: Timestamp | null;
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

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  login_failures: LoginFailuresTable;
  servers: ServersTable;
  instances: InstancesTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
export type ServerRow = Selectable<ServersTable>;
export type NewServer = Insertable<ServersTable>;
export type ServerChanges = Updateable<ServersTable>;
export type InstanceRow = Selectable<InstancesTable>;
export type NewInstance = Insertable<InstancesTable>;
