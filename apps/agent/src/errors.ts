import type { AgentErrorCode } from '@ordo/protocol';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * An error the agent answers with as-is: its code, status and message are meant for the caller.
 * Anything else thrown inside a request becomes a 500 "Internal error".
 */
export class AgentError extends Error {
  override readonly name = 'AgentError';
  readonly code: AgentErrorCode;
  readonly status: ContentfulStatusCode;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    code: AgentErrorCode,
    status: ContentfulStatusCode,
    message: string,
    options: { headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.code = code;
    this.status = status;
    this.headers = options.headers ?? {};
  }
}
