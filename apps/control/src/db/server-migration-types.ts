import type { ColumnType } from 'kysely';

type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** jsonb: read back as unknown and parsed with the protocol schema; written as JSON text. */
type Json = ColumnType<unknown, string, string>;

/** A migration of instances between servers; its job row holds state, progress and log. */
export interface ServerMigrationsTable {
  job_id: string;
  /** Null once the target server was deleted. */
  target_server_id: string | null;
  target_server_name: string;
  items: Json;
  updated_at: DefaultedTimestamp;
}

export interface ServerMigrationTables {
  server_migrations: ServerMigrationsTable;
}
