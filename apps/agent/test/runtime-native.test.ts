import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { InstanceActionResult, InstanceDetail, InstanceList } from '@ordo/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentApp, type AgentConfig } from '../src';
import { decideAfterCrash, DEFAULT_CRASH_POLICY } from '../src/runtime/native/crash-policy';
import { NativeRuntime } from '../src/runtime/native/native-runtime';
import { signalGroup } from '../src/runtime/native/proc';
import { KeyedMutex } from '../src/runtime/keyed-mutex';
import { createAppBench, type AppBench } from './agent-bench';
import {
  answersHttp,
  authed,
  createInstance,
  jobEnd,
  odooLeaders,
  type TestApp,
} from './instance-support';
import { waitFor } from './job-support';

describe('crash policy', () => {
  it('backs off 1 s, 2 s, 4 s … up to 60 s and gives up after 5 crashes in 2 minutes', () => {
    const policy = DEFAULT_CRASH_POLICY;
    const delays = [1, 2, 3, 4].map((count) =>
      decideAfterCrash(
        Array.from({ length: count }, () => 0),
        0,
        policy,
      ),
    );
    expect(delays).toEqual(
      [1000, 2000, 4000, 8000].map((delayMs) => ({ kind: 'restart', delayMs })),
    );
    expect(decideAfterCrash([0, 0, 0, 0, 0], 0, policy)).toEqual({ kind: 'give_up' });
    // Old crashes do not count.
    expect(decideAfterCrash([0, 0, 0, 0, 130_000], 130_000, policy)).toEqual({
      kind: 'restart',
      delayMs: 1000,
    });
    expect(
      decideAfterCrash([1, 2, 3, 4], 10, { ...policy, maxCrashes: 100, maxDelayMs: 5000 }),
    ).toEqual({ kind: 'restart', delayMs: 5000 });
  });
});

describe('keyed mutex', () => {
  it('runs work on one key one at a time, in order, and other keys alongside', async () => {
    const mutex = new KeyedMutex();
    const events: string[] = [];
    const step = (name: string, ms: number) => async () => {
      events.push(`${name}:start`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      events.push(`${name}:end`);
    };
    await Promise.all([
      mutex.run('a', step('a1', 30)),
      mutex.run('a', step('a2', 1)),
      mutex.run('b', step('b1', 1)),
    ]);
    expect(events.indexOf('a1:end')).toBeLessThan(events.indexOf('a2:start'));
    expect(events.indexOf('b1:end')).toBeLessThan(events.indexOf('a1:end'));
  });
});

describe('native runtime supervision', () => {
  let bench: AppBench | undefined;
  let root: string;
  let config: AgentConfig;
  let app: TestApp;
  const baseDelayMs = 300;

  beforeAll(async () => {
    bench = await createAppBench('ordo-runtime', {
      app: ({ config: settings, logger }) => {
        const runtime = new NativeRuntime({
          logger,
          env: process.env,
          crashPolicy: { baseDelayMs, maxDelayMs: 5000, maxCrashes: 5, windowMs: 60_000 },
          pollIntervalMs: 200,
        });
        return createAgentApp({ config: settings, logger, startedAt: new Date(), runtime });
      },
    });
    ({ root, config, app } = bench);
  }, 60_000);

  afterAll(() => bench?.close());

  const call = (path: string, init: RequestInit = {}) =>
    app.request(path, authed(config.token, init));

  async function status(name: string) {
    const { instances } = InstanceList.parse(await (await call('/v1/instances')).json());
    return instances.find((instance) => instance.name === name);
  }

  it('restarts a crashed Odoo after a backoff, and gives up with the reason after repeated crashes', async () => {
    const { job } = await createInstance(app, config.token, { name: 'flaky', version: '17.0' });
    expect(await jobEnd(app, config.token, job.id)).toMatchObject({ state: 'succeeded' });
    const detail = InstanceDetail.parse(await (await call('/v1/instances/flaky')).json());
    const port = detail.httpPort ?? 0;
    const confPath = join(root, 'instances', 'flaky', 'odoo.conf');
    const [first] = await odooLeaders(confPath);
    if (first === undefined) throw new Error('Odoo is not running');

    // One crash: restarted after the first backoff step.
    const crashedAt = Date.now();
    signalGroup(first, 'SIGKILL');
    await waitFor(async () => (await status('flaky'))?.status === 'error', 'the crash to show');
    expect((await status('flaky'))?.statusReason).toMatch(
      /^Odoo was killed by SIGKILL; restarting in 0\.3 s$/,
    );
    const second = await waitFor(async () => (await odooLeaders(confPath))[0], 'a new Odoo');
    expect(Date.now() - crashedAt).toBeGreaterThanOrEqual(baseDelayMs);
    expect(second).not.toBe(first);
    await waitFor(async () => (await answersHttp(port)) === 200, 'Odoo to answer again');
    expect(await status('flaky')).toMatchObject({ status: 'running', statusReason: null });

    // Its port taken: every restart fails, and after 5 crashes the supervisor gives up.
    signalGroup(second, 'SIGKILL');
    let kills = 2;
    await waitFor(async () => (await odooLeaders(confPath)).length === 0, 'Odoo to die');
    // On a loaded machine the supervisor may restart Odoo before the squatter listens: kill that
    // one too (it counts as one more crash) until the port is ours.
    let squatter: Server | null = null;
    while (squatter === null) {
      squatter = await listenOn(port);
      if (squatter !== null) break;
      for (const pid of await odooLeaders(confPath)) {
        signalGroup(pid, 'SIGKILL');
        kills += 1;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    try {
      const failed = await waitFor(
        async () => {
          const current = await status('flaky');
          return current?.statusReason?.includes('not restarted any more') && current;
        },
        'the supervisor to give up',
        30_000,
      );
      expect(failed.status).toBe('error');
      expect(failed.statusReason).toMatch(
        /^Odoo exited with status 1; it crashed 5 times within 60 s, so it is not restarted any more\. Last errors: odoo\.service\.server: HTTP service \(werkzeug\) could not listen on 127\.0\.0\.1:\d+/,
      );
      const log = await readFile(join(root, 'instances', 'flaky', 'odoo.log'), 'utf8');
      // The kills count too: kills + failed restarts = 5 crashes within the window.
      expect(log.match(/could not listen/g)).toHaveLength(5 - kills);
      await new Promise((resolve) => setTimeout(resolve, baseDelayMs * 3));
      expect(await odooLeaders(confPath)).toEqual([]);
    } finally {
      const held = squatter;
      await new Promise((resolve) => held.close(resolve));
    }

    // The admin starts it again.
    const started = await call('/v1/instances/flaky/start', { method: 'POST' });
    expect(started.status).toBe(200);
    expect(InstanceActionResult.parse(await started.json()).instance).toMatchObject({
      status: 'running',
      statusReason: null,
    });
    expect(await answersHttp(port)).toBe(200);
    expect((await call('/v1/instances/flaky', { method: 'DELETE' })).status).toBe(200);
  }, 60_000);
});

/** Listens on the port, or answers null when something already holds it. */
function listenOn(port: number): Promise<Server | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(null));
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
