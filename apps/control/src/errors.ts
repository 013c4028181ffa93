/**
 * What went wrong, in terms the transport layers map to a status. Messages are written for the
 * person using the panel: they are shown as they are.
 */
export type DomainErrorCode =
  | 'not_found'
  | 'conflict'
  | 'validation'
  | 'unauthorized'
  | 'forbidden'
  | 'too_many_requests'
  | 'agent_unavailable'
  | 'payload_too_large'
  | 'invalid_secret_key'
  | 'secret_unreadable'
  | 'database_unavailable';

export class DomainError extends Error {
  override readonly name: string = 'DomainError';
  readonly code: DomainErrorCode;

  constructor(code: DomainErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
  }
}

export class NotFoundError extends DomainError {
  override readonly name = 'NotFoundError';
  constructor(message: string) {
    super('not_found', message);
  }
}

export class ConflictError extends DomainError {
  override readonly name = 'ConflictError';
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('conflict', message, options);
  }
}

export class ValidationError extends DomainError {
  override readonly name = 'ValidationError';
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('validation', message, options);
  }
}

export class UnauthorizedError extends DomainError {
  override readonly name = 'UnauthorizedError';
  constructor(message: string) {
    super('unauthorized', message);
  }
}

export class ForbiddenError extends DomainError {
  override readonly name = 'ForbiddenError';
  constructor(message: string) {
    super('forbidden', message);
  }
}

export class TooManyRequestsError extends DomainError {
  override readonly name = 'TooManyRequestsError';
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super('too_many_requests', message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** The agent of a server could not be used: unreachable, timed out, refused the token… */
export class AgentUnavailableError extends DomainError {
  override readonly name = 'AgentUnavailableError';
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('agent_unavailable', message, options);
  }
}

/** An upload larger than the server that receives it accepts. */
export class PayloadTooLargeError extends DomainError {
  override readonly name = 'PayloadTooLargeError';
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('payload_too_large', message, options);
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
