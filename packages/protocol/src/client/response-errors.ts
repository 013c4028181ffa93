import { AgentErrorBody } from '../errors';
import { AgentClientError } from './agent-client-error';

export function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

/** A failure to get any answer: nothing listening, DNS, TLS, or no answer in time. */
export function transportError(error: unknown, timeoutMs: number, base: string): AgentClientError {
  if (isTimeout(error)) {
    return new AgentClientError(
      'timeout',
      `The agent at ${base} did not answer within ${timeoutMs / 1000} s`,
      { cause: error },
    );
  }
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const detail = errorCode(cause) ?? (cause instanceof Error ? cause.message : String(cause));
  return new AgentClientError('unreachable', `Cannot reach the agent at ${base} (${detail})`, {
    cause: error,
  });
}

/** The error for a non-2xx answer whose body was JSON (`body`). */
export function errorFromAnswer(status: number, body: unknown, base: string): AgentClientError {
  const parsed = AgentErrorBody.safeParse(body);
  if (status === 401) {
    return new AgentClientError(
      'unauthorized',
      'The agent refused the token: check the token of this server',
      { status: 401, agentCode: parsed.success ? parsed.data.error.code : 'unauthorized' },
    );
  }
  if (!parsed.success) {
    return new AgentClientError(
      'not_ordo_agent',
      `The server at ${base} answered HTTP ${status} in a format Ordo agents do not use`,
      { status },
    );
  }
  return new AgentClientError('agent_error', parsed.data.error.message, {
    status,
    agentCode: parsed.data.error.code,
  });
}

/** The error for an answer that was not JSON at all. */
export function notJsonError(status: number, base: string, cause: unknown): AgentClientError {
  return new AgentClientError(
    'not_ordo_agent',
    `The server at ${base} answered HTTP ${status} without JSON: it is not an Ordo agent`,
    { status, cause },
  );
}

function errorCode(error: unknown): string | null {
  if (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string'
  ) {
    return error.code;
  }
  return null;
}
