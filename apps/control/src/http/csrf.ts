import type { Context, MiddlewareHandler } from 'hono';
import { readSessionToken } from './session-cookie';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses state-changing requests sent by another site. A browser says where a request comes
 * from (`Sec-Fetch-Site`, `Origin`): it must be the panel itself. A request carrying the
 * session cookie must say it, so a cookie-bearing request that hides its origin is refused too;
 * scripts without a cookie (sign-in from curl, health checks) pass. SameSite=Lax already keeps
 * the cookie off cross-site POSTs; this is the second lock.
 */
export function rejectForeignOrigins(publicUrl: string | null): MiddlewareHandler {
  const publicOrigin = publicUrl === null ? null : new URL(publicUrl).origin;
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return next();
    const fetchSite = c.req.header('sec-fetch-site');
    const origin = c.req.header('origin');
    if (fetchSite !== undefined && fetchSite !== 'same-origin') {
      return refuse(
        c,
        `Request refused: it came from ${origin ?? 'another site'}, not from the Ordo panel`,
      );
    }
    if (origin !== undefined) {
      if (origin === publicOrigin || sameHost(origin, c.req.header('host'))) return next();
      return refuse(c, `Request refused: it came from ${origin}, not from the Ordo panel`);
    }
    if (fetchSite === 'same-origin') return next();
    if (readSessionToken(c.req.header('cookie')) !== null) {
      return refuse(
        c,
        'Request refused: a signed-in request must say where it comes from (Origin header)',
      );
    }
    return next();
  };
}

function refuse(c: Context, message: string): Response {
  return c.json({ error: { code: 'forbidden', message } }, 403);
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
