import type { ServerView } from '@ordo/protocol/panel';
import { listServersWithCount } from '../../db/repositories/servers.repository';
import type { ServerDeps } from './deps';
import { toServerView } from './internal';

export async function listServers(deps: Pick<ServerDeps, 'db'>): Promise<ServerView[]> {
  const rows = await listServersWithCount(deps.db);
  return rows.map(toServerView);
}
