import { type PgTarget, withPg } from '../postgres/pg-target';

export interface DatabaseStats {
  active: number;
  idle: number;
  blocked: number;
  deadlocks: number;
  sizeBytes: number;
}

export const EMPTY_DATABASE_STATS: DatabaseStats = {
  active: 0,
  idle: 0,
  blocked: 0,
  deadlocks: 0,
  sizeBytes: 0,
};

interface StatsRow {
  datname: string;
  active: string;
  idle: string;
  blocked: string;
  deadlocks: string;
  size: string;
}

/**
 * One connection and one query for every instance database: connections by state (the agent's
 * own excluded), sessions waiting on another (`pg_blocking_pids`), deadlocks and size.
 */
export async function readDatabaseStats(
  target: PgTarget,
  databases: string[],
): Promise<Map<string, DatabaseStats>> {
  const stats = new Map<string, DatabaseStats>();
  if (databases.length === 0) return stats;
  const { rows } = await withPg(target, (client) =>
    client.query<StatsRow>(
      `SELECT d.datname,
              count(a.pid) FILTER (WHERE a.state = 'active') AS active,
              count(a.pid) FILTER (WHERE a.state LIKE 'idle%') AS idle,
              count(a.pid) FILTER (WHERE cardinality(pg_blocking_pids(a.pid)) > 0) AS blocked,
              coalesce(max(s.deadlocks), 0) AS deadlocks,
              pg_database_size(d.datname) AS size
         FROM pg_database d
         LEFT JOIN pg_stat_database s ON s.datid = d.oid
         LEFT JOIN pg_stat_activity a
           ON a.datid = d.oid AND a.pid <> pg_backend_pid() AND a.backend_type = 'client backend'
        WHERE d.datname = ANY($1::text[])
        GROUP BY d.datname`,
      [databases],
    ),
  );
  for (const row of rows) {
    stats.set(row.datname, {
      active: Number(row.active),
      idle: Number(row.idle),
      blocked: Number(row.blocked),
      deadlocks: Number(row.deadlocks),
      sizeBytes: Number(row.size),
    });
  }
  return stats;
}
