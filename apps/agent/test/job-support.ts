import { readFile } from 'node:fs/promises';
import { createAdaptorServer } from '@hono/node-server';
import { parseEventStream, type ServerSentEvent } from '@ordo/protocol';
import type { Hono } from 'hono';
import { onTestFinished } from 'vitest';
import type { AgentEnv } from '../src/app-env';

/** Serves a Hono app over real HTTP on a free port until the current test ends. */
export async function serveApp(app: Hono<AgentEnv>): Promise<string> {
  const server = createAdaptorServer({ fetch: app.fetch });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return `http://127.0.0.1:${address.port}`;
}

/** A promise the test resolves when it wants a job handler to go on. */
export function gate(): { wait: Promise<void>; open: () => void } {
  let open = () => {};
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

/** Polls `check` until it returns something other than undefined/false. */
export async function waitFor<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Reads server-sent events one by one from a fetch response. */
export function sseReader(response: Response): AsyncGenerator<ServerSentEvent> {
  if (response.body === null) throw new Error('no body');
  return parseEventStream(response.body);
}

export async function nextEvent(events: AsyncGenerator<ServerSentEvent>): Promise<ServerSentEvent> {
  const next = await events.next();
  if (next.done) throw new Error('the event stream ended');
  return next.value;
}

/** Whether a process runs (a zombie nobody reaped yet does not). */
export async function isRunning(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
