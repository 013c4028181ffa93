import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentApp, type AgentConfig } from '../src';
import { createMetricsSampler, type MetricsSampler } from '../src/metrics/metrics-sampler';
import { pgTarget } from '../src/postgres/pg-target';
import { createRuntime } from '../src/runtime/create-runtime';
import type { InstanceRuntime } from '../src/runtime/runtime';
import { captureLogger, testConfig } from './helpers';
import {
  authed,
  createInstance,
  createPgRole,
  installVersion,
  jobEnd,
  killOdoosUnder,
  testPortRange,
  type TestApp,
} from './instance-support';
import { odooRepoUrl } from './odoo-support';

let dir: string;
let root: string;
let config: AgentConfig;
let app: TestApp;
let runtime: InstanceRuntime;
let sampler: MetricsSampler;
let dropRole: () => Promise<void>;
/** Instance databases share one PostgreSQL with other test files: a name of its own. */
const NAME = `mx${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ordo-metrics-instance-'));
  root = join(dir, 'root');
  const role = await createPgRole();
  dropRole = role.drop;
  const range = testPortRange();
  config = {
    ...testConfig(root),
    odooGitUrl: await odooRepoUrl(dir, ['17.0']),
    pgUrl: role.url,
    portRange: { from: range.from, to: range.to },
  };
  const { logger } = captureLogger();
  runtime = createRuntime('native', {
    logger,
    env: process.env,
    docker: { root, socket: config.dockerSocket, image: config.dockerImage },
  });
  sampler = createMetricsSampler({
    root,
    pg: pgTarget(config.pgUrl),
    runtime,
    instanceHost: config.instanceHost,
    logger,
    intervalMs: 60_000,
  });
  app = createAgentApp({ config, logger, startedAt: new Date(), runtime, metrics: sampler });
  await installVersion(app, config.token);
}, 120_000);

afterAll(async () => {
  await sampler.stop();
  await runtime.close();
  await killOdoosUnder(root);
  await dropRole();
  await rm(dir, { recursive: true, force: true });
});

async function shop() {
  const snapshot = await sampler.sample();
  const found = snapshot.instances.find((instance) => instance.name === NAME);
  if (found === undefined) throw new Error(`${NAME} was not sampled`);
  return found;
}

describe('metrics of a real (stand-in) Odoo instance', () => {
  it('reports it up with its memory and connections, then down once stopped', async () => {
    const accepted = await createInstance(app, config.token, { name: NAME, version: '17.0' });
    expect((await jobEnd(app, config.token, accepted.job.id)).state).toBe('succeeded');

    const running = await shop();
    expect(running.httpUp).toBe(true);
    expect(running.memoryBytes).toBeGreaterThan(0);
    expect(running.databaseSizeBytes).toBeGreaterThan(0);

    const stopped = await app.request(
      `/v1/instances/${NAME}/stop`,
      authed(config.token, { method: 'POST' }),
    );
    expect(stopped.status).toBe(200);
    const down = await shop();
    expect(down).toMatchObject({ httpUp: false, memoryBytes: 0, workers: 0 });
  }, 120_000);
});
