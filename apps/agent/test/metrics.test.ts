import { randomBytes } from 'node:crypto';
import { appendFile, mkdir, rename, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { InstanceMetricsSnapshot, MetricsSnapshot } from '@ordo/protocol';
import pg from 'pg';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createAgentApp } from '../src';
import { instancePaths } from '../src/instances/instance-paths';
import type { InstanceRecord } from '../src/instances/instance-record';
import { writeInstanceRecord } from '../src/instances/instance-store';
import { createMetricsSampler } from '../src/metrics/metrics-sampler';
import { pgTarget } from '../src/postgres/pg-target';
import { metricsInterval } from '../src/server';
import { createRuntime } from '../src/runtime/create-runtime';
import { captureLogger, testConfig, useTempDir } from './helpers';
import { ADMIN_PG_URL } from './instance-support';

async function useDatabase(): Promise<string> {
  const name = `ordo_metrics_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  onTestFinished(async () => {
    const drop = new pg.Client({ connectionString: ADMIN_PG_URL });
    await drop.connect();
    await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await drop.end();
  });
  return name;
}

/** A port nothing listens on: bound, then released. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** An instance record, its log and database written directly: the lifecycle is not the point. */
async function setup() {
  const root = await useTempDir();
  const config = testConfig(root);
  const database = await useDatabase();
  const record: InstanceRecord = {
    name: 'demo',
    version: '17.0',
    edition: 'community',
    type: 'production',
    parent: null,
    database,
    httpPort: await freePort(),
    url: null,
    createdAt: new Date().toISOString(),
    adminLogin: 'admin',
    geventPort: null,
    phase: 'ready',
    desiredState: 'stopped',
    lastError: null,
  };
  const paths = instancePaths(root, 'demo');
  await mkdir(paths.dir, { recursive: true });
  await writeInstanceRecord(root, record);
  const { logger } = captureLogger();
  const runtime = createRuntime(config.runtime, {
    logger,
    env: process.env,
    docker: { root, socket: config.dockerSocket, image: config.dockerImage },
  });
  onTestFinished(() => runtime.close());
  const sampler = createMetricsSampler({
    root,
    pg: pgTarget(config.pgUrl),
    runtime,
    instanceHost: '127.0.0.1',
    logger,
    intervalMs: 60_000,
  });
  onTestFinished(() => sampler.stop());
  const app = createAgentApp({ config, logger, startedAt: new Date(), runtime, metrics: sampler });
  const auth = { authorization: `Bearer ${config.token}` };
  return { root, config, database, record, paths, sampler, app, auth };
}

const errorLine = (at: Date, text: string) =>
  `${at.toISOString().replace('T', ' ').replace('.', ',').slice(0, 23)} 4242 ERROR db odoo.x: ${text}\n`;
const infoLine = (at: Date) =>
  `${at.toISOString().replace('T', ' ').replace('.', ',').slice(0, 23)} 4242 INFO db odoo.x: fine\n`;

async function demoMetrics(sampler: ReturnType<typeof createMetricsSampler>) {
  const snapshot = await sampler.sample();
  const demo = snapshot.instances.find((instance) => instance.name === 'demo');
  if (demo === undefined) throw new Error('demo not sampled');
  return demo;
}

describe('agent metrics', () => {
  it('counts the real connections to the instance database, active and idle', async () => {
    const { sampler, database } = await setup();
    const clients = Array.from(
      { length: 4 },
      () => new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:5432/${database}` }),
    );
    await Promise.all(clients.map((client) => client.connect()));
    onTestFinished(() => Promise.all(clients.map((client) => client.end())).then(() => undefined));
    const [busy] = clients;
    if (busy === undefined) throw new Error('no client');
    const sleeping = busy.query('SELECT pg_sleep(3)');
    // Wait until PostgreSQL reports the sleeping query as active.
    for (;;) {
      const demo = await demoMetrics(sampler);
      if (demo.dbConnectionsActive === 1) {
        expect(demo.dbConnectionsIdle).toBe(3);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await sleeping;
    const after = await demoMetrics(sampler);
    expect(after.dbConnectionsActive + after.dbConnectionsIdle).toBe(4);
    expect(after.databaseSizeBytes).toBeGreaterThan(0);
    expect(after.blockedLocks).toBe(0);
  });

  it('counts K error lines in their hour, once, across logrotate and copytruncate', async () => {
    const { sampler, paths } = await setup();
    const now = new Date();
    const earlier = new Date(now.getTime() - 2 * 3_600_000);
    await writeFile(
      paths.logfile,
      errorLine(now, 'a') + infoLine(now) + errorLine(now, 'b') + errorLine(earlier, 'c'),
    );
    let demo = await demoMetrics(sampler);
    expect(demo.errorsPerHour).toHaveLength(6);
    expect(demo.errorsPerHour.at(-1)?.count).toBe(2);
    expect(demo.errorsPerHour.at(-3)?.count).toBe(1);

    // Reading again without new lines counts nothing twice; a half-written line waits.
    await appendFile(paths.logfile, errorLine(now, 'd').slice(0, 20));
    demo = await demoMetrics(sampler);
    expect(demo.errorsPerHour.at(-1)?.count).toBe(2);
    await appendFile(paths.logfile, errorLine(now, 'd').slice(20));
    demo = await demoMetrics(sampler);
    expect(demo.errorsPerHour.at(-1)?.count).toBe(3);

    // logrotate: the file moves away and a new one starts.
    await rename(paths.logfile, `${paths.logfile}.1`);
    await writeFile(paths.logfile, errorLine(now, 'e'));
    demo = await demoMetrics(sampler);
    expect(demo.errorsPerHour.at(-1)?.count).toBe(4);

    // copytruncate: same inode emptied, then Odoo goes on writing.
    await writeFile(paths.logfile, '');
    demo = await demoMetrics(sampler);
    expect(demo.errorsPerHour.at(-1)?.count).toBe(4);
    await appendFile(paths.logfile, errorLine(now, 'f'));
    demo = await demoMetrics(sampler);
    expect(demo.errorsPerHour.at(-1)?.count).toBe(5);
    expect(demo.errorsPerHour.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(6);
  });

  it('reports a stopped instance down, with no memory and no workers', async () => {
    const { sampler } = await setup();
    const demo = await demoMetrics(sampler);
    expect(demo).toMatchObject({ httpUp: false, memoryBytes: 0, workers: 0 });
  });

  it('serves the last sample as JSON and as Prometheus text', async () => {
    const { sampler, app, auth } = await setup();
    const unsampled = await app.request('/v1/metrics', { headers: auth });
    expect(unsampled.status).toBe(503);
    expect(await unsampled.json()).toMatchObject({
      error: {
        message: 'No metrics sample yet: the agent takes one at start, retry in a few seconds',
      },
    });
    await sampler.sample();

    const json = await app.request('/v1/metrics', { headers: auth });
    expect(json.status).toBe(200);
    const snapshot = MetricsSnapshot.parse(await json.json());
    expect(snapshot.server.cores).toBeGreaterThan(0);
    expect(snapshot.server.memoryTotalBytes).toBeGreaterThan(snapshot.server.memoryUsedBytes);
    expect(snapshot.server.diskTotalBytes).toBeGreaterThan(0);

    const one = await app.request('/v1/instances/demo/metrics', { headers: auth });
    expect(InstanceMetricsSnapshot.parse(await one.json()).instance.name).toBe('demo');
    const missing = await app.request('/v1/instances/nope/metrics', { headers: auth });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({
      error: { message: 'No instance named "nope" on this server' },
    });
    const bad = await app.request('/v1/instances/Bad%20Name/metrics', { headers: auth });
    expect(bad.status).toBe(400);

    const anonymous = await app.request('/metrics');
    expect(anonymous.status).toBe(401);
    const text = await app.request('/metrics', { headers: auth });
    expect(text.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const body = await text.text();
    const families = parsePrometheus(body);
    expect(families.get('ordo_instance_db_connections')?.type).toBe('gauge');
    expect(body).toMatch(/^ordo_instance_up\{server="[^"]+",instance="demo"\} 0$/m);
    expect(body).toMatch(/^ordo_instance_db_connections\{[^}]*state="idle"\} \d+$/m);
  });
});

describe('ORDO_AGENT_METRICS_INTERVAL_MS', () => {
  it('defaults to 5 s and refuses what is not a sane interval', () => {
    expect(metricsInterval({})).toBe(5000);
    expect(metricsInterval({ ORDO_AGENT_METRICS_INTERVAL_MS: '1000' })).toBe(1000);
    for (const value of ['soon', '10', '2.5']) {
      expect(() => metricsInterval({ ORDO_AGENT_METRICS_INTERVAL_MS: value })).toThrow(
        'ORDO_AGENT_METRICS_INTERVAL_MS: must be a whole number of milliseconds between 500 and 3600000',
      );
    }
  });
});

describe('prometheus text format', () => {
  it('escapes label values', async () => {
    const { escapeLabelValue } = await import('../src/metrics/prometheus');
    expect(escapeLabelValue('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
  });
});

/** A strict reader of the exposition format: HELP then TYPE then samples of that family. */
function parsePrometheus(text: string): Map<string, { type: string; samples: number }> {
  const families = new Map<string, { type: string; samples: number }>();
  let current: string | null = null;
  const sample =
    /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*",?)*\})? (-?[0-9.e+]+|NaN|[+-]Inf)$/;
  expect(text.endsWith('\n')).toBe(true);
  for (const line of text.trimEnd().split('\n')) {
    const help = /^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .+$/.exec(line);
    if (help?.[1] !== undefined) {
      current = help[1];
      continue;
    }
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (gauge|counter)$/.exec(line);
    if (type?.[1] !== undefined && type[2] !== undefined) {
      expect(type[1]).toBe(current);
      families.set(type[1], { type: type[2], samples: 0 });
      continue;
    }
    const match = sample.exec(line);
    expect(match, line).not.toBeNull();
    expect(match?.[1]).toBe(current);
    const family = current === null ? undefined : families.get(current);
    if (family !== undefined) family.samples += 1;
  }
  return families;
}
