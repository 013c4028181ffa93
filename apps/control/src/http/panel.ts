import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono } from 'hono';

const PANEL_NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Ordo</title></head>
<body><h1>Ordo control plane is running</h1>
<p>The web panel is not built. Build it with <code>pnpm --filter @ordo/ui build</code>
(or point <code>ORDO_UI_DIR</code> at a built panel) and reload this page.</p></body></html>`;

/** Serves the built SPA: real files first, then index.html for client-side routes. */
export function mountPanel(app: Hono, uiDir: string | null): void {
  const indexFile = uiDir === null ? null : join(uiDir, 'index.html');
  if (uiDir === null || indexFile === null || !existsSync(indexFile)) {
    app.get('*', (c) => c.html(PANEL_NOT_BUILT, 503));
    return;
  }

  app.use(
    '*',
    serveStatic({
      root: uiDir,
      onFound: (path, c) => {
        // Vite puts a content hash in every asset name; only index.html must be revalidated.
        c.header(
          'cache-control',
          path.endsWith('index.html') ? 'no-cache' : 'public, max-age=31536000, immutable',
        );
      },
    }),
  );
  app.get('*', async (c, next) => {
    // A missing file with an extension is a real 404, not a client-side route.
    if (/\.[a-z0-9]+$/i.test(c.req.path)) return next();
    c.header('cache-control', 'no-cache');
    return c.html(await readFile(indexFile, 'utf8'));
  });
}
