import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { UserListInput, UserView } from '@ordo/protocol/panel';
import { listUsersWithServer } from '../../db/repositories/users.repository';
import type { Database } from '../../db/types';
import { type Actor, toUserView } from './internal';

/** Sorted by email; a server-limited manager sees the accounts of their server only. */
export async function listUsers(
  deps: { db: Kysely<Database> },
  actor: Actor,
  input: z.output<typeof UserListInput>,
): Promise<UserView[]> {
  const rows = await listUsersWithServer(deps.db, {
    search: input.search,
    role: input.role,
    serverId: actor.serverId ?? undefined,
  });
  return rows.map(toUserView);
}
