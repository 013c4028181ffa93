import type { z } from 'zod';
import type { ServerUpdateInput, ServerView } from '@ordo/protocol/panel';
import { previewSecret } from '../../crypto/secret-box';
import {
  findServerByName,
  findServerWithCount,
  updateServer,
} from '../../db/repositories/servers.repository';
import type { ServerChanges } from '../../db/types';
import { NotFoundError } from '../../errors';
import type { ServerDeps } from './deps';
import {
  duplicateNameError,
  getServerOrThrow,
  SERVER_NOT_FOUND,
  toServerView,
  withUniqueName,
} from './internal';

export type UpdateServerData = z.output<typeof ServerUpdateInput>;

/** Changes what is given; a new URL or token makes the last ping result meaningless. */
export async function updateServerSettings(
  deps: ServerDeps,
  input: UpdateServerData,
): Promise<ServerView> {
  const { db } = deps;
  const current = await getServerOrThrow(db, input.id);
  const changes: ServerChanges = {};

  if (input.name !== undefined && input.name !== current.name) {
    const other = await findServerByName(db, input.name);
    if (other !== undefined && other.id !== current.id) throw duplicateNameError(input.name);
    changes.name = input.name;
  }
  if (input.domain !== undefined) changes.domain = input.domain;
  const urlChanged = input.agentUrl !== undefined && input.agentUrl !== current.agent_url;
  if (urlChanged) changes.agent_url = input.agentUrl;
  if (input.token !== undefined) {
    changes.token_ciphertext = deps.secretBox.encrypt(input.token);
    changes.token_preview = previewSecret(input.token);
  }
  if (urlChanged || input.token !== undefined) {
    changes.status = 'unknown';
    changes.last_error = null;
    changes.latency_ms = null;
  }

  if (Object.keys(changes).length > 0) {
    changes.updated_at = deps.now?.() ?? new Date();
    const updated = await withUniqueName(input.name ?? current.name, () =>
      updateServer(db, current.id, changes),
    );
    if (updated === undefined) throw new NotFoundError(SERVER_NOT_FOUND);
  }
  const view = await findServerWithCount(db, current.id);
  if (view === undefined) throw new NotFoundError(SERVER_NOT_FOUND);
  return toServerView(view);
}
