import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadControlConfig } from '../src/config';
import { createSecretBox, previewSecret } from '../src/crypto/secret-box';
import type { Database } from '../src/db/types';
import { fleetMetrics, serverMetrics } from '../src/features/metrics';
import { startControl, type RunningControl } from '../src/start-control';
import { startForeignServer } from './helpers/foreign-servers';
import { captureLogs } from './helpers/log-capture';
import { startMetricsAgent, type MetricsAgent } from './helpers/metrics-agent';
import { waitFor } from './helpers/odoo-agent';
import { createTestDb, type TestDb } from './helpers/test-db';

const INTERVAL_MS = 300;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('metrics polling', () => {
  let testDb: TestDb;
  let dir: string;
  const key = randomBytes(32);
  const closers: (() => Promise<void>)[] = [];

  beforeEach(async () => {
    testDb = await createTestDb();
    dir = await mkdtemp(join(tmpdir(), 'ordo-control-metrics-'));
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await testDb.drop();
    await rm(dir, { recursive: true, force: true });
  });

  async function control(): Promise<RunningControl> {
    const config = loadControlConfig(
      {
        DATABASE_URL: testDb.url,
        PORT: '0',
        HOST: '127.0.0.1',
        ORDO_DATA_DIR: dir,
        ORDO_UI_DIR: join(dir, 'no-ui'),
        ORDO_SECRET_KEY: key.toString('hex'),
        ORDO_ADMIN_EMAIL: 'admin@example.com',
        ORDO_ADMIN_PASSWORD: 'a long enough password',
        ORDO_METRICS_INTERVAL_MS: String(INTERVAL_MS),
      },
      dir,
    );
    const running = await startControl(config, { logger: captureLogs().logger });
    let closed = false;
    closers.push(async () => {
      if (!closed) await running.close();
    });
    return {
      ...running,
      close: async () => {
        closed = true;
        await running.close();
      },
    };
  }

  async function register(name: string, url: string, token: string): Promise<string> {
    const box = createSecretBox(key);
    const row = await testDb.db
      .insertInto('servers')
      .values({
        name,
        agent_url: url,
        token_ciphertext: box.encrypt(token),
        token_preview: previewSecret(token),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async function agents(count: number): Promise<MetricsAgent[]> {
    const started = await Promise.all(Array.from({ length: count }, () => startMetricsAgent()));
    for (const agent of started) closers.push(() => agent.close());
    await Promise.all(
      started.map((agent, index) => register(`agent-${index}`, agent.url, agent.token)),
    );
    return started;
  }

  const owners = async (db: Kysely<Database>) =>
    (await db.selectFrom('metric_leases').select(['owner', 'server_id']).execute()).reduce(
      (map, row) => map.set(row.owner, (map.get(row.owner) ?? 0) + 1),
      new Map<string, number>(),
    );

  it('two control processes share the agents, poll each once per interval, and take over', async () => {
    const fleet = await agents(6);
    const first = await control();
    await control();

    // Both pollers live: each holds half the servers.
    await waitFor(async () => {
      const held = [...(await owners(testDb.db)).values()];
      return held.length === 2 && held.every((count) => count === 3);
    }, 'the servers to be shared between both pollers');

    const before = fleet.map((agent) => agent.polls());
    const rounds = 10;
    await sleep(rounds * INTERVAL_MS);
    const polled = fleet.map((agent, index) => agent.polls() - (before[index] ?? 0));
    // Once per interval each; twice (two pollers on one agent) would be about 2 × rounds.
    for (const count of polled) {
      expect(count).toBeGreaterThanOrEqual(rounds - 4);
      expect(count).toBeLessThanOrEqual(rounds + 2);
    }

    const samples = await serverMetrics(testDb.db, {
      serverId: (await testDb.db.selectFrom('servers').select('id').executeTakeFirstOrThrow()).id,
      range: '15m',
    });
    expect(samples.length).toBeGreaterThan(0);
    expect(samples[0]?.server.cores).toBe(2);
    const overview = await fleetMetrics(testDb.db);
    expect(overview.servers).toHaveLength(6);

    // One process goes away: the other holds every lease and polls every agent.
    await first.close();
    await waitFor(async () => {
      const held = [...(await owners(testDb.db)).values()];
      return held.length === 1 && held[0] === 6;
    }, 'the remaining poller to take every server');
    const after = fleet.map((agent) => agent.polls());
    await waitFor(
      () => fleet.every((agent, index) => agent.polls() > (after[index] ?? 0)),
      'every agent to be polled by the remaining process',
    );
  });

  it('a hung agent does not delay the others and its server turns inactive, then active', async () => {
    const fleet = await agents(2);
    const hung = await startForeignServer(null);
    closers.push(() => hung.close());
    const hungId = await register('hung', hung.url, 'x'.repeat(64));
    await control();

    const before = fleet.map((agent) => agent.polls());
    const server = await waitFor(async () => {
      const row = await testDb.db
        .selectFrom('servers')
        .select(['status', 'last_error'])
        .where('id', '=', hungId)
        .executeTakeFirstOrThrow();
      return row.status === 'inactive' ? row : undefined;
    }, 'the hung server to turn inactive');
    expect(server.last_error).toContain('did not answer');
    // Meanwhile (at least 3 timeouts) the healthy agents went on being polled every round.
    for (const [index, agent] of fleet.entries()) {
      expect(agent.polls() - (before[index] ?? 0)).toBeGreaterThanOrEqual(3);
    }

    // It answers again (a healthy agent at its address now): the server turns active.
    const [healthy] = fleet;
    if (healthy === undefined) throw new Error('no agent');
    const box = createSecretBox(key);
    await testDb.db
      .updateTable('servers')
      .set({ agent_url: healthy.url, token_ciphertext: box.encrypt(healthy.token) })
      .where('id', '=', hungId)
      .execute();
    await waitFor(async () => {
      const row = await testDb.db
        .selectFrom('servers')
        .select('status')
        .where('id', '=', hungId)
        .executeTakeFirstOrThrow();
      return row.status === 'active';
    }, 'the server to turn active again');
  });
});
