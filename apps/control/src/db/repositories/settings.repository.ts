import type { Kysely } from 'kysely';
import type { Database } from '../types';

/** The stored JSON value of a setting, or undefined; callers parse it with their schema. */
export async function readSetting(db: Kysely<Database>, key: string): Promise<unknown> {
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', key)
    .executeTakeFirst();
  return row?.value;
}

export async function writeSetting(
  db: Kysely<Database>,
  setting: { key: string; value: unknown; updatedBy: string | null; at: Date },
): Promise<void> {
  const value = JSON.stringify(setting.value);
  await db
    .insertInto('settings')
    .values({ key: setting.key, value, updated_at: setting.at, updated_by: setting.updatedBy })
    .onConflict((oc) =>
      oc
        .column('key')
        .doUpdateSet({ value, updated_at: setting.at, updated_by: setting.updatedBy }),
    )
    .execute();
}
