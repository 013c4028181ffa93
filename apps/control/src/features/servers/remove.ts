import { deleteServer } from '../../db/repositories/servers.repository';
import { NotFoundError } from '../../errors';
import type { ServerDeps } from './deps';
import { SERVER_NOT_FOUND } from './internal';

/** Forgets the server and its synced instances; the agent and its instances are left running. */
export async function removeServer(deps: Pick<ServerDeps, 'db'>, id: string): Promise<void> {
  if (!(await deleteServer(deps.db, id))) throw new NotFoundError(SERVER_NOT_FOUND);
}
