import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server';
import type { Logger } from 'pino';
import { type DomainError, type DomainErrorCode, isDomainError } from '../errors';

function trpcCodeOf(code: DomainErrorCode): TRPC_ERROR_CODE_KEY {
  switch (code) {
    case 'not_found':
      return 'NOT_FOUND';
    case 'conflict':
      return 'CONFLICT';
    case 'validation':
      return 'BAD_REQUEST';
    case 'unauthorized':
      return 'UNAUTHORIZED';
    case 'forbidden':
      return 'FORBIDDEN';
    case 'too_many_requests':
      return 'TOO_MANY_REQUESTS';
    case 'agent_unavailable':
      return 'BAD_GATEWAY';
    case 'payload_too_large':
      return 'PAYLOAD_TOO_LARGE';
    case 'invalid_secret_key':
    case 'secret_unreadable':
      return 'INTERNAL_SERVER_ERROR';
    case 'database_unavailable':
      return 'SERVICE_UNAVAILABLE';
  }
}

function fromDomain(error: DomainError): TRPCError {
  return new TRPCError({ code: trpcCodeOf(error.code), message: error.message, cause: error });
}

/** One message per invalid field (its first issue): "Enter X" already says what to fix. */
function issueMessages(cause: unknown): string | null {
  if (typeof cause !== 'object' || cause === null || !('issues' in cause)) return null;
  if (!Array.isArray(cause.issues)) return null;
  const issues: unknown[] = cause.issues;
  const byField = new Map<string, string>();
  for (const issue of issues) {
    if (typeof issue !== 'object' || issue === null || !('message' in issue)) continue;
    const path = 'path' in issue && Array.isArray(issue.path) ? issue.path.join('.') : '';
    if (!byField.has(path)) byField.set(path, String(issue.message));
  }
  return byField.size > 0 ? [...byField.values()].join('; ') : null;
}

function internal(cause: unknown, logger: Logger): TRPCError {
  logger.error({ err: cause }, 'unexpected error in a procedure');
  return new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'Internal error' });
}

/**
 * The one translation from what procedures throw to what the panel sees: domain errors keep
 * their message, input validation shows the schema's messages, anything else is hidden.
 */
export function toTRPCError(error: unknown, logger: Logger): TRPCError {
  if (isDomainError(error)) return fromDomain(error);
  if (!(error instanceof TRPCError)) return internal(error, logger);
  const { cause } = error;
  if (isDomainError(cause)) return fromDomain(cause);
  if (error.code === 'BAD_REQUEST') {
    const message = issueMessages(cause);
    if (message !== null) return new TRPCError({ code: 'BAD_REQUEST', message, cause });
    return error;
  }
  // tRPC wraps whatever a resolver threw in INTERNAL_SERVER_ERROR, keeping it as the cause.
  if (
    error.code === 'INTERNAL_SERVER_ERROR' &&
    cause !== undefined &&
    !(cause instanceof TRPCError)
  ) {
    return internal(cause, logger);
  }
  return error;
}
