import type { AgentErrorBody, AgentErrorCode } from '@ordo/protocol';
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from 'pino';
import type { AgentEnv } from '../app-env';
import { AgentError } from '../errors';

/** Renders every error as `{ error: { code, message, requestId } }`; unknown ones stay private. */
export function errorHandler(logger: Logger): ErrorHandler<AgentEnv> {
  return (error, c) => {
    if (error instanceof AgentError) {
      for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
      return errorResponse(c, error.status, error.code, error.message);
    }
    // Hono's own exceptions (e.g. a malformed body) are client errors with safe messages.
    if (error instanceof HTTPException && error.status < 500) {
      return errorResponse(c, error.status, 'bad_request', error.message || 'Bad request');
    }
    logger.error(
      { requestId: c.get('requestId'), method: c.req.method, path: c.req.path, err: error },
      'unhandled error',
    );
    return errorResponse(c, 500, 'internal', 'Internal error');
  };
}

export const notFoundHandler: NotFoundHandler<AgentEnv> = (c) =>
  errorResponse(c, 404, 'not_found', `No route for ${c.req.method} ${c.req.path}`);

function errorResponse(
  c: Context<AgentEnv>,
  status: ContentfulStatusCode,
  code: AgentErrorCode,
  message: string,
) {
  const body: AgentErrorBody = { error: { code, message, requestId: c.get('requestId') } };
  return c.json(body, status);
}
