/**
 * Why a call to an agent failed, in terms the panel can explain:
 * - `unreachable`: nothing answered at the address (DNS, refused, reset, TLS failure).
 * - `timeout`: the agent did not answer in time.
 * - `unauthorized`: the agent refused the token.
 * - `not_ordo_agent`: something answered, but it is not an Ordo agent.
 * - `bad_response`: an Ordo agent answered with something that does not match the protocol.
 * - `agent_error`: the agent answered with an error of its own (see `status` and `agentCode`).
 */
export type AgentClientErrorCode =
  'unreachable' | 'timeout' | 'unauthorized' | 'not_ordo_agent' | 'bad_response' | 'agent_error';

export class AgentClientError extends Error {
  override readonly name = 'AgentClientError';
  readonly code: AgentClientErrorCode;
  readonly status: number | null;
  readonly agentCode: string | null;

  constructor(
    code: AgentClientErrorCode,
    message: string,
    options: { status?: number; agentCode?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.code = code;
    this.status = options.status ?? null;
    this.agentCode = options.agentCode ?? null;
  }
}

export function isAgentClientError(error: unknown): error is AgentClientError {
  return error instanceof AgentClientError;
}
