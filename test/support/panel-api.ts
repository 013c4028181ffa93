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

/** Calls a tRPC query (GET, unbatched) with the browser's session cookie. */
async function query(page: Page, path: string, input: unknown): Promise<unknown> {
  const search = new URLSearchParams({ input: JSON.stringify(input) });
  const response = await page.request.get(`/trpc/${path}?${search.toString()}`);
  const body: unknown = await response.json();
  if (!response.ok()) {
    throw new Error(`${path} answered ${response.status()}: ${JSON.stringify(body)}`);
  }
  return TrpcAnswer.parse(body).result.data;
}

const InstanceStatusRow = z.object({ serverId: z.string(), name: z.string(), status: z.string() });
const VersionList = z.object({ versions: z.array(z.object({ version: z.string() })) });

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Installs a version and waits until the agent lists it (the UI path is in instances.test.ts). */
export async function installVersionThroughApi(
  page: Page,
  serverId: string,
  version: string,
  timeoutMs: number,
): Promise<void> {
  await mutate(page, 'versions.install', { serverId, version, edition: 'community' });
  await waitUntil(
    `Odoo ${version} to be installed`,
    async () => {
      const list = VersionList.parse(await query(page, 'versions.list', { serverId }));
      return list.versions.some((installed) => installed.version === version);
    },
    timeoutMs,
  );
}

/** Creates an instance and waits until the control plane reports it `running`. */
export async function createInstanceThroughApi(
  page: Page,
  input: { serverId: string; name: string; version: string },
  timeoutMs: number,
): Promise<void> {
  await mutate(page, 'instances.create', input);
  await waitForInstanceStatus(page, input, 'running', timeoutMs);
}

export async function waitForInstanceStatus(
  page: Page,
  ref: { serverId: string; name: string },
  status: string,
  timeoutMs: number,
): Promise<void> {
  await waitUntil(
    `${ref.name} to be ${status}`,
    async () => {
      const rows = z.array(InstanceStatusRow).parse(await query(page, 'instances.list', {}));
      const row = rows.find((r) => r.serverId === ref.serverId && r.name === ref.name);
      if (row?.status === 'error') throw new Error(`${ref.name} is in error`);
      return row?.status === status;
    },
    timeoutMs,
  );
}

export async function instanceActionThroughApi(
  page: Page,
  ref: { serverId: string; name: string },
  action: 'start' | 'stop' | 'restart',
): Promise<void> {
  await mutate(page, `instances.${action}`, ref);
}
