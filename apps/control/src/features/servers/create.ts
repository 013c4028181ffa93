import type { z } from 'zod';
import type { ServerCreateInput, ServerView } from '@ordo/protocol/panel';
import { findServerByName, insertServer } from '../../db/repositories/servers.repository';
import { previewSecret } from '../../crypto/secret-box';
import type { ServerDeps } from './deps';
import { duplicateNameError, toServerView, withUniqueName } from './internal';

export type CreateServerData = z.output<typeof ServerCreateInput>;

/** Registers a server; the agent is not contacted (ping does that). */
export async function createServer(deps: ServerDeps, input: CreateServerData): Promise<ServerView> {
  if ((await findServerByName(deps.db, input.name)) !== undefined) {
    throw duplicateNameError(input.name);
  }
  const row = await withUniqueName(input.name, () =>
    insertServer(deps.db, {
      name: input.name,
      agent_url: input.agentUrl,
      domain: input.domain,
      token_ciphertext: deps.secretBox.encrypt(input.token),
      token_preview: previewSecret(input.token),
    }),
  );
  return toServerView({ ...row, instance_count: 0 });
}
