import type { Hono } from 'hono';
import type { ControlDeps } from '../deps';
import { receiveGitWebhook } from '../features/repos';

/** Push payloads are a few KB; GitHub caps them at 25 MB, far above anything a pull needs. */
export const WEBHOOK_MAX_BODY_BYTES = 1024 * 1024;

/**
 * `POST /hooks/git/:repoId`: GitHub and GitLab webhooks. A machine endpoint: no session and no
 * CSRF check (mount it before that middleware); the signature or token is its authentication.
 */
export function mountGitHooks(app: Hono, deps: ControlDeps): void {
  app.post('/hooks/git/:repoId', async (c) => {
    const body = await readBounded(c.req.raw, WEBHOOK_MAX_BODY_BYTES);
    const answer = await receiveGitWebhook(deps, {
      repoId: c.req.param('repoId'),
      headers: { get: (name) => c.req.header(name) },
      body,
    });
    return c.json(answer.body, answer.status);
  });
}

/** The raw body, or null as soon as it is over `limit` bytes (the rest is never read). */
async function readBounded(request: Request, limit: number): Promise<Uint8Array | null> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (Number.isFinite(declared) && declared > limit) return null;
  if (request.body === null) return new Uint8Array();
  const reader: ReadableStreamDefaultReader<Uint8Array> = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return body;
}
