import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentApp, type AgentConfig } from '../src';
import { createMetricsSampler, type MetricsSampler } from '../src/metrics/metrics-sampler';
import { pgTarget } from '../src/postgres/pg-target';
import { createRuntime } from '../src/runtime/create-runtime';
import type { InstanceRuntime } from '../src/runtime/runtime';
import { createAppBench, type AppBench } from './agent-bench';
import { authed, createInstance, jobEnd, type TestApp } from './instance-support';

let bench: AppBench | undefined;
let config: AgentConfig;
let app: TestApp;
let runtime: InstanceRuntime | undefined;
let sampler: MetricsSampler | undefined;
/** Instance databases share one PostgreSQL with other test files: a name of its own. */
const NAME = `mx${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  bench = await createAppBench('ordo-metrics-instance', {
    app: ({ config: settings, logger }) => {
      const { root } = settings;
      runtime = createRuntime('native', {
        logger,
        env: process.env,
        docker: { root, socket: settings.dockerSocket, image: settings.dockerImage },
      });
      sampler = createMetricsSampler({
        root,
        pg: pgTarget(settings.pgUrl),
        runtime,
        instanceHost: settings.instanceHost,
        logger,
        intervalMs: 60_000,
      });
      return createAgentApp({
        config: settings,
        logger,
        startedAt: new Date(),
        runtime,
        metrics: sampler,
      });
    },
  });
  ({ config, app } = bench);
}, 120_000);

afterAll(async () => {
  await sampler?.stop();
  await runtime?.close();
  await bench?.close();
});

async function shop() {
  if (!sampler) throw new Error('the sampler did not start');
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
