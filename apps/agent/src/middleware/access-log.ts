import type { MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { AgentEnv } from '../app-env';

/** One structured line per request. Headers are never logged: they carry the bearer token. */
export function accessLog(logger: Logger): MiddlewareHandler<AgentEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const ms = Math.round((performance.now() - started) * 10) / 10;
    const status = c.res.status;
    const entry = {
      requestId: c.get('requestId'),
      method: c.req.method,
      path: c.req.path,
      status,
      ms,
    };
    if (status >= 500) logger.error(entry, 'request failed');
    else logger.info(entry, 'request');
  };
}
