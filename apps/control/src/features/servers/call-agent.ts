import type { AgentClient } from '@ordo/protocol';
import type { ServerRow } from '../../db/types';
import {
  AgentUnavailableError,
  ConflictError,
  type DomainError,
  NotFoundError,
  PayloadTooLargeError,
  ValidationError,
} from '../../errors';
import type { ServerDeps } from './deps';
import { AgentClientError, agentClientFor, getServerOrThrow, recordAgentFailure } from './internal';

/**
 * Runs a call on the server's agent. The agent's own refusals keep their meaning and their
 * message (it names the problem): 400 → validation, 404 → not found, 409 → conflict, 413 →
 * payload too large (uploads); anything else, and every failure to get an answer (recorded on
 * the server), is "agent unavailable".
 */
export async function callAgent<T>(
  deps: ServerDeps,
  server: ServerRow,
  call: (client: AgentClient) => Promise<T>,
): Promise<T> {
  try {
    return await call(agentClientFor(deps, server));
  } catch (error) {
    if (!(error instanceof AgentClientError)) throw error;
    if (error.code !== 'agent_error') await recordAgentFailure(deps, server.id, error);
    throw fromAgentError(error);
  }
}

/** Loads the server, then {@link callAgent}. */
export async function callServerAgent<T>(
  deps: ServerDeps,
  serverId: string,
  call: (client: AgentClient, server: ServerRow) => Promise<T>,
): Promise<T> {
  const server = await getServerOrThrow(deps.db, serverId);
  return callAgent(deps, server, (client) => call(client, server));
}

function fromAgentError(error: AgentClientError): DomainError {
  if (error.code === 'agent_error') {
    if (error.status === 400) return new ValidationError(error.message, { cause: error });
    if (error.status === 404) return new NotFoundError(error.message);
    if (error.status === 409) return new ConflictError(error.message, { cause: error });
    if (error.status === 413) return new PayloadTooLargeError(error.message, { cause: error });
  }
  return new AgentUnavailableError(error.message, { cause: error });
}
