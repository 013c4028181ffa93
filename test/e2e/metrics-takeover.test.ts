import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startAgentProcess, type AgentProcess } from '../support/agent-process';
import { startControlProcess, type ControlProcess } from '../support/control-process';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const ADMIN_EMAIL = 'admin@ordo.test';
const ADMIN_PASSWORD = 'correct horse battery';
const INTERVAL_MS = 1000;
const AGENTS = 4;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const RequestLine = z.object({ time: z.number(), path: z.string(), msg: z.literal('request') });

/** When each `GET /v1/metrics` reached the agent, from its own access log. */
function pollTimes(agent: AgentProcess): number[] {
  const times: number[] = [];
  for (const line of agent.output().split('\n')) {
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      continue;
    }
    const parsed = RequestLine.safeParse(json);
    if (parsed.success && parsed.data.path === '/v1/metrics') times.push(parsed.data.time);
  }
  return times;
}

async function signIn(url: string): Promise<string> {
  const response = await fetch(`${url}/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
  });
  expect(response.status).toBe(200);
  return (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

async function addServer(url: string, cookie: string, name: string, agent: AgentProcess) {
  const response = await fetch(`${url}/trpc/servers.create`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, origin: url },
    body: JSON.stringify({ name, agentUrl: agent.url, token: agent.token }),
  });
  expect(response.status, await response.text()).toBe(200);
}

async function withClient<T>(databaseUrl: string, use: (client: pg.Client) => Promise<T>) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

function leaseOwners(databaseUrl: string): Promise<Map<string, number>> {
  return withClient(databaseUrl, async (client) => {
    const { rows } = await client.query<{ owner: string; held: string }>(
      'SELECT owner, count(*) AS held FROM metric_leases GROUP BY owner',
    );
    return new Map(rows.map((row) => [row.owner, Number(row.held)]));
  });
}

/**
 * Resolves right after `owner` has renewed its leases: killing it then is the worst case, as
 * its leases stay valid for as long as they can.
 */
function leasesJustRenewed(databaseUrl: string, owner: string): Promise<void> {
  return withClient(databaseUrl, async (client) => {
    const expiry = async () => {
      const { rows } = await client.query<{ latest: Date | null }>(
        'SELECT max(expires_at) AS latest FROM metric_leases WHERE owner = $1',
        [owner],
      );
      return rows[0]?.latest?.getTime() ?? 0;
    };
    const before = await expiry();
    const deadline = Date.now() + 10_000;
    while ((await expiry()) === before) {
      if (Date.now() > deadline) throw new Error('the poller never renewed its leases');
      await sleep(10);
    }
  });
}

// Two real control-plane processes on one PostgreSQL share the agents; one is SIGKILLed (no
// chance to hand its leases over) and the other must poll the dead one's agents within two
// intervals — and keep polling them, with no gap of more than two intervals afterwards.
describe('metrics polling survives a control plane killed outright', () => {
  let database: TestDatabase | undefined;
  const agents: AgentProcess[] = [];
  const controls: ControlProcess[] = [];

  afterAll(async () => {
    await Promise.all(controls.map((control) => control.stop()));
    await Promise.all(agents.map((agent) => agent.stop()));
    await database?.drop();
  });

  it('the survivor polls every agent of the killed process within two intervals', async () => {
    database = await createTestDatabase('ordo_e2e_takeover');
    const env = {
      ORDO_METRICS_INTERVAL_MS: String(INTERVAL_MS),
      ORDO_SECRET_KEY: randomBytes(32).toString('hex'),
    };
    const options = {
      adminEmail: ADMIN_EMAIL,
      adminPassword: ADMIN_PASSWORD,
      databaseUrl: database.url,
      env,
    };
    const doomed = await startControlProcess(options);
    controls.push(doomed);
    agents.push(...(await Promise.all(Array.from({ length: AGENTS }, () => startAgentProcess()))));
    const cookie = await signIn(doomed.url);
    for (const [index, agent] of agents.entries()) {
      await addServer(doomed.url, cookie, `agent-${index}`, agent);
    }
    let doomedOwner: string | undefined;
    while (doomedOwner === undefined) {
      doomedOwner = [...(await leaseOwners(database.url)).keys()][0];
      await sleep(100);
    }
    controls.push(await startControlProcess(options));

    // Both pollers hold half of the agents.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const held = [...(await leaseOwners(database.url)).values()];
      if (held.length === 2 && held.every((count) => count === AGENTS / 2)) break;
      if (Date.now() > deadline) throw new Error(`leases never split: ${held.join(', ')}`);
      await sleep(200);
    }
    await sleep(2 * INTERVAL_MS);

    await leasesJustRenewed(database.url, doomedOwner);
    const killedAt = Date.now();
    await doomed.kill();
    controls.splice(controls.indexOf(doomed), 1);
    await sleep(6 * INTERVAL_MS);

    for (const [index, agent] of agents.entries()) {
      const after = pollTimes(agent).filter((time) => time > killedAt);
      const firstAfter = after[0];
      expect(firstAfter, `agent-${index} was never polled after the kill`).toBeDefined();
      // Polled again within two intervals of the kill…
      expect((firstAfter ?? Infinity) - killedAt, `agent-${index}`).toBeLessThanOrEqual(
        2 * INTERVAL_MS,
      );
      // …and steadily from then on (no agent dropped again while the pollers rebalance).
      const gaps = after.slice(1).map((time, at) => time - (after[at] ?? time));
      expect(Math.max(...gaps), `agent-${index} gaps ${gaps.join(', ')}`).toBeLessThanOrEqual(
        2 * INTERVAL_MS,
      );
      expect(after.length, `agent-${index}`).toBeGreaterThanOrEqual(4);
    }
    const held = [...(await leaseOwners(database.url)).values()];
    expect(held).toEqual([AGENTS]);
  }, 120_000);
});
