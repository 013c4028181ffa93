import type { Kysely } from 'kysely';
import type { Database } from '../types';
import type { UNFINISHED_STATES } from './jobs.repository';

export interface ServerMigrationRow {
  job_id: string;
  source_server_id: string;
  source_server_name: string;
  target_server_id: string | null;
  target_server_name: string;
  items: unknown;
}

export async function insertServerMigration(
  db: Kysely<Database>,
  row: { jobId: string; targetServerId: string; targetServerName: string; items: unknown },
): Promise<void> {
  await db
    .insertInto('server_migrations')
    .values({
      job_id: row.jobId,
      target_server_id: row.targetServerId,
      target_server_name: row.targetServerName,
      items: JSON.stringify(row.items),
    })
    .execute();
}

export async function updateMigrationItems(
  db: Kysely<Database>,
  jobId: string,
  items: unknown,
  now: Date,
): Promise<void> {
  await db
    .updateTable('server_migrations')
    .set({ items: JSON.stringify(items), updated_at: now })
    .where('job_id', '=', jobId)
    .execute();
}

export function findServerMigration(
  db: Kysely<Database>,
  jobId: string,
): Promise<ServerMigrationRow | undefined> {
  return db
    .selectFrom('server_migrations')
    .innerJoin('jobs', 'jobs.id', 'server_migrations.job_id')
    .innerJoin('servers', 'servers.id', 'jobs.server_id')
    .select([
      'server_migrations.job_id',
      'jobs.server_id as source_server_id',
      'servers.name as source_server_name',
      'server_migrations.target_server_id',
      'server_migrations.target_server_name',
      'server_migrations.items',
    ])
    .where('server_migrations.job_id', '=', jobId)
    .executeTakeFirst();
}

/** Jobs the control plane runs that are still pending or running, oldest first. */
export async function listUnfinishedControlJobIds(db: Kysely<Database>): Promise<string[]> {
  const unfinished: (typeof UNFINISHED_STATES)[number][] = ['pending', 'running'];
  const rows = await db
    .selectFrom('jobs')
    .select('id')
    .where('runner', '=', 'control')
    .where('state', 'in', unfinished)
    .orderBy('created_at')
    .execute();
  return rows.map((row) => row.id);
}

/** An unfinished migration that involves this server, as source or target. */
export async function findActiveMigrationOf(
  db: Kysely<Database>,
  serverId: string,
): Promise<string | undefined> {
  const unfinished: (typeof UNFINISHED_STATES)[number][] = ['pending', 'running'];
  const row = await db
    .selectFrom('server_migrations')
    .innerJoin('jobs', 'jobs.id', 'server_migrations.job_id')
    .select('jobs.id')
    .where('jobs.state', 'in', unfinished)
    .where((eb) =>
      eb.or([
        eb('jobs.server_id', '=', serverId),
        eb('server_migrations.target_server_id', '=', serverId),
      ]),
    )
    .executeTakeFirst();
  return row?.id;
}
