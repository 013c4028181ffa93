import { ServerView } from '@ordo/protocol/panel';
import type { Page } from 'playwright-core';
import { z } from 'zod';

const TrpcAnswer = z.object({ result: z.object({ data: z.unknown() }) });

/**
 * Calls a tRPC mutation with the browser's session cookie, as the panel would. For setup steps
 * that another end-to-end test already covers through the UI.
 */
async function mutate(page: Page, path: string, input: unknown): Promise<unknown> {
  // Sent as the panel's own fetch would be: the control plane refuses signed-in writes without it.
  const origin = new URL(page.url()).origin;
  const response = await page.request.post(`/trpc/${path}`, { data: input, headers: { origin } });
  const body: unknown = await response.json();
  if (!response.ok()) {
    throw new Error(`${path} answered ${response.status()}: ${JSON.stringify(body)}`);
  }
  return TrpcAnswer.parse(body).result.data;
}

export async function addServerThroughApi(
  page: Page,
  server: { name: string; agentUrl: string; token: string },
): Promise<ServerView> {
  const created = ServerView.parse(await mutate(page, 'servers.create', server));
  // A ping records the agent's version and runtime, as the Servers page's Ping button does.
  await mutate(page, 'servers.ping', { id: created.id });
  return created;
}
