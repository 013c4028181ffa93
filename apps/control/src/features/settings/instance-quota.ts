import type { Kysely } from 'kysely';
import { InstanceQuota } from '@ordo/protocol/panel';
import { readSetting, writeSetting } from '../../db/repositories/settings.repository';
import type { Database } from '../../db/types';
import { ConflictError } from '../../errors';

const QUOTA_SETTING_KEY = 'instance_quota';
const NO_QUOTA: InstanceQuota = { maxInstances: null };

export async function getInstanceQuota(db: Kysely<Database>): Promise<InstanceQuota> {
  const stored = InstanceQuota.safeParse(await readSetting(db, QUOTA_SETTING_KEY));
  return stored.success ? stored.data : NO_QUOTA;
}

export async function saveInstanceQuota(
  db: Kysely<Database>,
  quota: InstanceQuota,
  updatedBy: string | null,
  at: Date,
): Promise<InstanceQuota> {
  await writeSetting(db, { key: QUOTA_SETTING_KEY, value: quota, updatedBy, at });
  return quota;
}

/** Refuses a new instance once the fleet holds as many as the quota allows. */
export async function assertQuotaLeft(db: Kysely<Database>): Promise<void> {
  const { maxInstances } = await getInstanceQuota(db);
  if (maxInstances === null) return;
  const row = await db
    .selectFrom('instances')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .executeTakeFirstOrThrow();
  const used = Number(row.count);
  if (used >= maxInstances) {
    throw new ConflictError(
      `The instance quota is used up (${used} of ${maxInstances}): delete an instance or raise the quota in Settings`,
    );
  }
}
