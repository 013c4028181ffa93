import type { Kysely } from 'kysely';
import { type AgentClient, AgentClientError } from '@ordo/protocol';
import { ServerStatus, ServerView } from '@ordo/protocol/panel';
import { isUniqueViolation } from '../../db/pg-errors';
import {
  findServerById,
  type ServerWithCount,
  updateServer,
} from '../../db/repositories/servers.repository';
import type { Database, ServerRow } from '../../db/types';
import { ConflictError, NotFoundError } from '../../errors';
import type { ServerDeps } from './deps';

export const SERVER_NOT_FOUND = 'Server not found: it may have been deleted';

export function toServerView(row: ServerWithCount): ServerView {
  return ServerView.parse({
    id: row.id,
    name: row.name,
    agentUrl: row.agent_url,
    domain: row.domain,
    tokenPreview: row.token_preview,
    status: ServerStatus.parse(row.status),
    instanceCount: row.instance_count,
    agentVersion: row.agent_version,
    runtime: row.runtime,
    lastSeenAt: row.last_seen_at?.toISOString() ?? null,
    lastError: row.last_error,
    latencyMs: row.latency_ms,
    createdAt: row.created_at.toISOString(),
  });
}

export async function getServerOrThrow(db: Kysely<Database>, id: string): Promise<ServerRow> {
  const server = await findServerById(db, id);
  if (server === undefined) throw new NotFoundError(SERVER_NOT_FOUND);
  return server;
}

export function duplicateNameError(name: string, cause?: unknown): ConflictError {
  return new ConflictError(`A server named "${name}" already exists`, { cause });
}

/** Turns the unique index on server names into the same conflict the pre-check gives (races). */
export async function withUniqueName<T>(name: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error, 'servers_name_key')) throw duplicateNameError(name, error);
    throw error;
  }
}

export function agentClientFor(deps: ServerDeps, server: ServerRow): AgentClient {
  return deps.agentClientFactory({
    agentUrl: server.agent_url,
    token: deps.secretBox.decrypt(server.token_ciphertext),
  });
}

/** Remembers why the agent could not be used, for the server list. */
export async function recordAgentFailure(
  deps: ServerDeps,
  serverId: string,
  error: AgentClientError,
): Promise<void> {
  await updateServer(deps.db, serverId, {
    status: 'inactive',
    last_error: error.message,
    latency_ms: null,
  });
}

export { AgentClientError };
