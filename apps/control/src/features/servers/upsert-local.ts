import { readFile } from 'node:fs/promises';
import { AgentToken, AgentUrl } from '@ordo/protocol/panel';
import { previewSecret } from '../../crypto/secret-box';
import {
  findServerByName,
  insertServer,
  updateServer,
} from '../../db/repositories/servers.repository';
import { ValidationError } from '../../errors';
import type { ServerDeps } from './deps';
import { withUniqueName } from './internal';

export const LOCAL_SERVER_NAME = 'local';

/**
 * Registers (or refreshes) the agent running beside the control plane, so a fresh install
 * shows one working server without any typing.
 */
export async function upsertLocalServer(
  deps: Pick<ServerDeps, 'db' | 'secretBox'>,
  options: { url: string; tokenFile: string },
): Promise<{ id: string; created: boolean }> {
  let text: string;
  try {
    text = await readFile(options.tokenFile, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ValidationError(
      `Cannot read the local agent token file ${options.tokenFile} (ORDO_LOCAL_AGENT_TOKEN_FILE): ${reason}`,
      { cause: error },
    );
  }
  const token = AgentToken.safeParse(text);
  if (!token.success) {
    throw new ValidationError(
      `The local agent token file ${options.tokenFile}: ${token.error.issues[0]?.message ?? 'invalid token'}`,
    );
  }
  const url = AgentUrl.safeParse(options.url);
  if (!url.success) {
    throw new ValidationError(
      `ORDO_LOCAL_AGENT_URL: ${url.error.issues[0]?.message ?? 'invalid URL'}`,
    );
  }

  const fields = {
    agent_url: url.data,
    token_ciphertext: deps.secretBox.encrypt(token.data),
    token_preview: previewSecret(token.data),
  };
  const existing = await findServerByName(deps.db, LOCAL_SERVER_NAME);
  if (existing !== undefined) {
    if (
      existing.agent_url !== fields.agent_url ||
      !holdsToken(deps, existing.token_ciphertext, token.data)
    ) {
      await updateServer(deps.db, existing.id, {
        ...fields,
        status: 'unknown',
        last_error: null,
        updated_at: new Date(),
      });
    }
    return { id: existing.id, created: false };
  }
  const row = await withUniqueName(LOCAL_SERVER_NAME, () =>
    insertServer(deps.db, { name: LOCAL_SERVER_NAME, ...fields }),
  );
  return { id: row.id, created: true };
}

function holdsToken(
  deps: Pick<ServerDeps, 'secretBox'>,
  ciphertext: string,
  token: string,
): boolean {
  try {
    return deps.secretBox.decrypt(ciphertext) === token;
  } catch {
    return false;
  }
}
