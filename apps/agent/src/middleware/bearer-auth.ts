import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { AgentEnv } from '../app-env';
import { AgentError } from '../errors';

export interface BearerAuthOptions {
  token: string;
  /** Requests that need no token (the health check for load balancers and the install script). */
  isPublic: (method: string, path: string) => boolean;
}

const BEARER = /^Bearer +(\S+) *$/i;
const REALM = 'Bearer realm="ordo-agent"';

/** Requires `Authorization: Bearer <token>` on every request that is not public. */
export function bearerAuth(options: BearerAuthOptions): MiddlewareHandler<AgentEnv> {
  const expected = sha256(options.token);
  return async (c, next) => {
    if (options.isPublic(c.req.method, c.req.path)) return next();

    const match = BEARER.exec(c.req.header('authorization') ?? '');
    const presented = match?.[1];
    if (presented === undefined) {
      throw new AgentError('unauthorized', 401, 'Missing bearer token', {
        headers: { 'WWW-Authenticate': REALM },
      });
    }
    if (!tokensMatch(presented, expected)) {
      throw new AgentError('unauthorized', 401, 'Invalid token', {
        headers: { 'WWW-Authenticate': `${REALM}, error="invalid_token"` },
      });
    }
    return next();
  };
}

// Hashing first gives both sides the same length, so neither the comparison nor an early
// length check reveals anything about the expected token.
function tokensMatch(presented: string, expectedHash: Buffer): boolean {
  return timingSafeEqual(sha256(presented), expectedHash);
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
