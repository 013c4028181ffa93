import { TRPCError } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { sql } from 'kysely';
import type { ControlDeps } from '../deps';
import { createTrpcContext } from '../trpc/context';
import { appRouter } from '../trpc/root';
import { addonsRoute } from './addons-route';
import { backupRoutes } from './backup-routes';
import { clientAddress } from './client-address';
import { rejectForeignOrigins } from './csrf';
import { mountGitHooks } from './git-hooks';
import { mountPanel } from './panel';

const SELF = ["'self'"];

export function createControlApp(deps: ControlDeps): Hono {
  const { logger } = deps;
  const app = new Hono();
  const https = deps.publicUrl?.startsWith('https:') ?? false;

  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: SELF,
        scriptSrc: SELF,
        styleSrc: SELF,
        // Inline style attributes only (Svelte templates carry some); never inline <style> or script.
        styleSrcAttr: ["'unsafe-inline'"],
        imgSrc: [...SELF, 'data:'],
        fontSrc: SELF,
        connectSrc: SELF,
        objectSrc: ["'none'"],
        baseUri: SELF,
        formAction: SELF,
        frameAncestors: ["'none'"],
      },
      strictTransportSecurity: https ? 'max-age=31536000; includeSubDomains' : false,
    }),
  );
  // Before the CSRF check: Git hosts post without an Origin, and the signature authenticates.
  mountGitHooks(app, deps);
  app.use(rejectForeignOrigins(deps.publicUrl));

  app.get('/healthz', async (c) => {
    try {
      await sql`select 1`.execute(deps.db);
      return c.json({ ok: true, db: true });
    } catch (error) {
      logger.warn({ err: error }, 'health check: database unreachable');
      return c.json({ ok: false, db: false }, 503);
    }
  });

  app.all('/trpc/*', (c) =>
    fetchRequestHandler({
      endpoint: '/trpc',
      req: c.req.raw,
      router: appRouter,
      createContext: async (opts) => {
        try {
          return await createTrpcContext(deps, { ...opts, ip: clientAddress(c) });
        } catch (error) {
          logger.error({ err: error }, 'cannot build the request context');
          throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'Internal error' });
        }
      },
    }),
  );

  app.route('/', addonsRoute(deps));
  app.route('/', backupRoutes(deps));

  app.all('/api/*', (c) =>
    c.json(
      { error: { code: 'not_found', message: `No API route ${c.req.method} ${c.req.path}` } },
      404,
    ),
  );

  mountPanel(app, deps.uiDir);

  app.notFound((c) =>
    c.json(
      { error: { code: 'not_found', message: `Nothing at ${c.req.method} ${c.req.path}` } },
      404,
    ),
  );
  app.onError((error, c) => {
    logger.error({ err: error, path: c.req.path }, 'unhandled error');
    return c.json({ error: { code: 'internal', message: 'Internal error' } }, 500);
  });
  return app;
}
