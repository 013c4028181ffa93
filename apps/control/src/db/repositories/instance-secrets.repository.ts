import type { Kysely } from 'kysely';
import type { Database } from '../types';

export type SecretKind = 'master' | 'admin';

export async function upsertInstanceSecrets(
  db: Kysely<Database>,
  serverId: string,
  instanceName: string,
  secrets: { kind: SecretKind; ciphertext: string }[],
): Promise<void> {
  if (secrets.length === 0) return;
  await db
    .insertInto('instance_secrets')
    .values(
      secrets.map((secret) => ({
        server_id: serverId,
        instance_name: instanceName,
        kind: secret.kind,
        ciphertext: secret.ciphertext,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['server_id', 'instance_name', 'kind']).doUpdateSet((eb) => ({
        ciphertext: eb.ref('excluded.ciphertext'),
        created_at: eb.ref('excluded.created_at'),
      })),
    )
    .execute();
}

export async function findInstanceSecret(
  db: Kysely<Database>,
  key: { serverId: string; instanceName: string; kind: SecretKind },
): Promise<string | undefined> {
  const row = await db
    .selectFrom('instance_secrets')
    .select('ciphertext')
    .where('server_id', '=', key.serverId)
    .where('instance_name', '=', key.instanceName)
    .where('kind', '=', key.kind)
    .executeTakeFirst();
  return row?.ciphertext;
}

/** `serverId/name` of every instance with a stored master password. */
export async function listSecretHolders(
  db: Kysely<Database>,
  filter: { serverId?: string | undefined },
): Promise<Set<string>> {
  let query = db
    .selectFrom('instance_secrets')
    .select(['server_id', 'instance_name'])
    .where('kind', '=', 'master');
  if (filter.serverId !== undefined) query = query.where('server_id', '=', filter.serverId);
  const rows = await query.execute();
  return new Set(rows.map((row) => `${row.server_id}/${row.instance_name}`));
}

export async function deleteInstanceSecrets(
  db: Kysely<Database>,
  serverId: string,
  instanceName: string,
): Promise<void> {
  await db
    .deleteFrom('instance_secrets')
    .where('server_id', '=', serverId)
    .where('instance_name', '=', instanceName)
    .execute();
}

/**
 * Forgets the secrets of instances the agent no longer has, except those whose creation (or
 * clone) job is still unfinished (its instance may not be listed yet).
 */
export async function deleteOrphanSecrets(
  db: Kysely<Database>,
  serverId: string,
  keep: string[],
): Promise<void> {
  let query = db
    .deleteFrom('instance_secrets')
    .where('server_id', '=', serverId)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('jobs')
            .select('jobs.id')
            .whereRef('jobs.server_id', '=', 'instance_secrets.server_id')
            .whereRef('jobs.target', '=', 'instance_secrets.instance_name')
            .where('jobs.kind', 'in', ['instance.create', 'instance.clone'])
            .where('jobs.state', 'in', ['pending', 'running']),
        ),
      ),
    );
  if (keep.length > 0) query = query.where('instance_name', 'not in', keep);
  await query.execute();
}
