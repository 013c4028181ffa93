import { type Kysely, sql } from 'kysely';
import type { Database } from '../types';

/** Marks `owner` alive and drops pollers silent for longer than `staleMs`; returns how many live. */
export async function heartbeatPoller(
  db: Kysely<Database>,
  owner: string,
  staleMs: number,
): Promise<number> {
  await sql`INSERT INTO metric_pollers (owner, seen_at) VALUES (${owner}, now())
    ON CONFLICT (owner) DO UPDATE SET seen_at = now()`.execute(db);
  await sql`DELETE FROM metric_pollers
    WHERE seen_at < now() - make_interval(secs => ${staleMs / 1000})`.execute(db);
  const { rows } = await sql<{ live: string }>`SELECT count(*) AS live FROM metric_pollers`.execute(
    db,
  );
  return Number(rows[0]?.live ?? 1);
}

export async function countServers(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('servers')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

/** Extends the leases `owner` holds; returns their servers. */
export async function renewLeases(
  db: Kysely<Database>,
  owner: string,
  ttlMs: number,
): Promise<string[]> {
  const { rows } = await sql<{ server_id: string }>`UPDATE metric_leases
    SET expires_at = now() + make_interval(secs => ${ttlMs / 1000})
    WHERE owner = ${owner} RETURNING server_id`.execute(db);
  return rows.map((row) => row.server_id);
}

/** Gives leases up at once so another poller takes them on its next round. */
export async function releaseLeases(
  db: Kysely<Database>,
  owner: string,
  serverIds: string[],
): Promise<void> {
  if (serverIds.length === 0) return;
  await db
    .deleteFrom('metric_leases')
    .where('owner', '=', owner)
    .where('server_id', 'in', serverIds)
    .execute();
}

/**
 * Takes up to `limit` servers nobody holds (released or new). The ON CONFLICT re-check runs on
 * the row's latest version, so two pollers racing for one server never both get it.
 */
export async function claimUnleased(
  db: Kysely<Database>,
  owner: string,
  limit: number,
  ttlMs: number,
): Promise<string[]> {
  if (limit <= 0) return [];
  const { rows } = await sql<{ server_id: string }>`
    INSERT INTO metric_leases (server_id, owner, expires_at)
    SELECT s.id, ${owner}, now() + make_interval(secs => ${ttlMs / 1000})
      FROM servers s
     WHERE NOT EXISTS (SELECT 1 FROM metric_leases l WHERE l.server_id = s.id)
     ORDER BY s.id
     LIMIT ${limit}
    ON CONFLICT (server_id) DO NOTHING
    RETURNING server_id`.execute(db);
  return rows.map((row) => row.server_id);
}

/**
 * Takes every lapsed lease (its poller died): orphaned agents are polled at once, whatever the
 * share; rebalancing hands extras back later. SKIP LOCKED lets two takers split them.
 */
export async function claimExpired(
  db: Kysely<Database>,
  owner: string,
  ttlMs: number,
): Promise<string[]> {
  const { rows } = await sql<{ server_id: string }>`
    UPDATE metric_leases l
       SET owner = ${owner}, expires_at = now() + make_interval(secs => ${ttlMs / 1000})
     WHERE l.server_id IN (
       SELECT server_id FROM metric_leases
        WHERE expires_at < now()
          FOR UPDATE SKIP LOCKED)
       AND l.expires_at < now()
    RETURNING l.server_id`.execute(db);
  return rows.map((row) => row.server_id);
}

export async function dropPoller(db: Kysely<Database>, owner: string): Promise<void> {
  await db.deleteFrom('metric_leases').where('owner', '=', owner).execute();
  await db.deleteFrom('metric_pollers').where('owner', '=', owner).execute();
}
