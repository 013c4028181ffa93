import type { MiddlewareHandler } from 'hono';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses state-changing requests sent by another site: a present Origin must be the panel's
 * public origin or the host the request was addressed to. SameSite=Lax already keeps the
 * session cookie off cross-site POSTs; this is the second lock.
 */
export function rejectForeignOrigins(publicUrl: string | null): MiddlewareHandler {
  const publicOrigin = publicUrl === null ? null : new URL(publicUrl).origin;
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return next();
    const origin = c.req.header('origin');
    if (origin === undefined || origin === publicOrigin || sameHost(origin, c.req.header('host'))) {
      return next();
    }
    return c.json(
      {
        error: {
          code: 'forbidden',
          message: `Request refused: it came from ${origin}, not from the Ordo panel`,
        },
      },
      403,
    );
  };
}

function sameHost(origin: string, host: string | undefined): boolean {
  if (host === undefined) return false;
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host === host;
  } catch {
    return false;
  }
}
