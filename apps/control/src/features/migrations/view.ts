import type { Kysely } from 'kysely';
import { MigrationItem, MigrationView } from '@ordo/protocol/panel';
import { z } from 'zod';
import { findJobWithServer } from '../../db/repositories/jobs.repository';
import { findServerMigration } from '../../db/repositories/server-migrations.repository';
import type { Database } from '../../db/types';
import { NotFoundError } from '../../errors';
import { toJobView } from '../jobs/job-view';

const StoredItems = z.array(MigrationItem);

export function migrationNotFound(id: string): NotFoundError {
  return new NotFoundError(`No migration ${id}: it may have been deleted with its server`);
}

/** Parsed on the way out, like every view of stored rows. */
export async function getMigration(
  deps: { db: Kysely<Database> },
  id: string,
): Promise<MigrationView> {
  const [migration, job] = await Promise.all([
    findServerMigration(deps.db, id),
    findJobWithServer(deps.db, id),
  ]);
  if (migration === undefined || job === undefined) throw migrationNotFound(id);
  return MigrationView.parse({
    job: toJobView(job),
    sourceServerId: migration.source_server_id,
    sourceServerName: migration.source_server_name,
    targetServerId: migration.target_server_id,
    targetServerName: migration.target_server_name,
    items: StoredItems.parse(migration.items),
  });
}

/** The stored items, or none when they no longer parse. */
export function parseItems(value: unknown): MigrationItem[] {
  const parsed = StoredItems.safeParse(value);
  return parsed.success ? parsed.data : [];
}
