import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InstanceDetail, InstanceList, InstanceLogs } from '@ordo/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentApp, type AgentConfig } from '../src';
import { captureLogger, testConfig } from './helpers';
import {
  buildBrokenImage,
  containersUnder,
  DOCKER_SOCKET,
  dockerEngineAvailable,
  inspectContainer,
  removeContainer,
  removeContainersUnder,
  startForeignContainer,
  TEST_IMAGE,
} from './docker-support';
import {
  answersHttp,
  authed,
  createInstance,
  createPgRole,
  databaseExists,
  expectError,
  installVersion,
  jobEnd,
  jobLog,
  testPortRange,
  type TestApp,
} from './instance-support';
import { odooRepoUrl } from './odoo-support';

const available = dockerEngineAvailable('the docker runtime failure tests');

let dir: string;
let root: string;
let config: AgentConfig;
let app: TestApp;
let dropRole: () => Promise<void>;
const { logger } = captureLogger();

/** An agent app on the same root with other docker settings (another socket, another image). */
function appWith(docker: Partial<Pick<AgentConfig, 'dockerSocket' | 'dockerImage'>>): TestApp {
  return createAgentApp({
    config: { ...config, ...docker },
    logger,
    startedAt: new Date(),
    instanceStartTimeoutMs: 30_000,
  });
}

const call = (target: TestApp, path: string, init: RequestInit = {}) =>
  target.request(path, authed(config.token, init));

async function detail(target: TestApp, name: string): Promise<InstanceDetail> {
  const response = await call(target, `/v1/instances/${name}`);
  expect(response.status).toBe(200);
  return InstanceDetail.parse(await response.json());
}

async function createRunning(name: string): Promise<InstanceDetail> {
  const { job } = await createInstance(app, config.token, { name, version: '17.0' });
  const ended = await jobEnd(app, config.token, job.id);
  expect(ended, await jobLog(root, job.id)).toMatchObject({ state: 'succeeded' });
  return detail(app, name);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function containersOf(name: string) {
  return (await containersUnder(root)).filter(
    (container) => container.labels['ordo.instance'] === name,
  );
}

/** Nothing of `name` exists: no container, no database, no directory. */
async function expectNothingOf(name: string): Promise<void> {
  expect(await containersOf(name)).toEqual([]);
  expect(await databaseExists(name)).toBe(false);
  expect(await exists(join(root, 'instances', name))).toBe(false);
}

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

describe.skipIf(!available)('the docker runtime when things go wrong', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ordo-docker-failures-'));
    root = join(dir, 'root');
    const role = await createPgRole();
    dropRole = role.drop;
    const range = testPortRange();
    config = {
      ...testConfig(root),
      odooGitUrl: await odooRepoUrl(dir, ['17.0']),
      pgUrl: role.url,
      portRange: { from: range.from, to: range.to },
      runtime: 'docker',
      dockerSocket: DOCKER_SOCKET,
      dockerImage: TEST_IMAGE,
    };
    app = appWith({});
    await installVersion(app, config.token);
  }, 120_000);

  afterAll(async () => {
    await removeContainersUnder(root);
    await dropRole();
    await rm(dir, { recursive: true, force: true });
  });

  it('engine down: every instance action says so, naming the socket, and changes nothing', async () => {
    const running = await createRunning('dk-engine');
    const [container] = await containersOf('dk-engine');
    const dead = join(dir, 'no-engine.sock');
    const down = appWith({ dockerSocket: dead });
    const unreachable = new RegExp(
      `^(Instance "dk-engine" did not start: )?The container engine at ${dead} is not ` +
        'reachable \\(ENOENT\\), so Ordo cannot [a-z ]+: start the engine \\(Docker, or podman ' +
        'system service\\) or set ORDO_AGENT_DOCKER_SOCKET to its socket$',
    );

    // Listing still works: the engine's absence is the instance's error.
    const listed = InstanceList.parse(await (await call(down, '/v1/instances')).json());
    expect(listed.instances).toEqual([
      expect.objectContaining({ name: 'dk-engine', status: 'error' }),
    ]);
    expect(listed.instances[0]?.statusReason).toMatch(unreachable);

    const conf = await readFile(join(root, 'instances', 'dk-engine', 'odoo.conf'), 'utf8');
    for (const action of ['start', 'stop', 'restart'] as const) {
      await expectError(
        await call(down, `/v1/instances/dk-engine/${action}`, { method: 'POST' }),
        503,
        'unavailable',
        unreachable,
      );
    }
    await expectError(
      await call(down, '/v1/instances/dk-engine/config', {
        method: 'PUT',
        body: JSON.stringify({ workers: 2 }),
      }),
      503,
      'unavailable',
      unreachable,
    );
    await expectError(
      await call(down, '/v1/instances/dk-engine', { method: 'DELETE' }),
      503,
      'unavailable',
      unreachable,
    );
    await expectError(
      await call(down, '/v1/instances', {
        method: 'POST',
        body: JSON.stringify({ name: 'dk-engine2', version: '17.0' }),
      }),
      503,
      'unavailable',
      unreachable,
    );
    // The log file is read without the engine.
    const logs = InstanceLogs.parse(
      await (await call(down, '/v1/instances/dk-engine/logs')).json(),
    );
    expect(logs.lines.length).toBeGreaterThan(0);

    // Nothing changed: no new instance, the old one as it was and still running.
    await expectNothingOf('dk-engine2');
    expect(await readFile(join(root, 'instances', 'dk-engine', 'odoo.conf'), 'utf8')).toBe(conf);
    expect(await databaseExists('dk-engine')).toBe(true);
    expect(await containersOf('dk-engine')).toEqual([container]);
    expect(await detail(app, 'dk-engine')).toMatchObject({ status: 'running' });
    expect(await answersHttp(running.httpPort ?? 0)).toBe(200);
  }, 60_000);

  it('image missing: creating and starting are refused naming the image and how to supply it', async () => {
    const missing = 'ordo-odoo-test:no-such-image';
    const noImage = appWith({ dockerImage: missing });
    const message =
      `The image ${missing} is not in the container engine at ${DOCKER_SOCKET}: pull it ` +
      `(docker pull ${missing}) or build it there, or set ORDO_AGENT_DOCKER_IMAGE to an image ` +
      'the engine has';

    await expectError(
      await call(noImage, '/v1/instances', {
        method: 'POST',
        body: JSON.stringify({ name: 'dk-noimage', version: '17.0' }),
      }),
      503,
      'unavailable',
      message,
    );
    await expectNothingOf('dk-noimage');
    await expectError(
      await call(appWith({ dockerImage: null }), '/v1/instances', {
        method: 'POST',
        body: JSON.stringify({ name: 'dk-noimage', version: '17.0' }),
      }),
      503,
      'unavailable',
      'No image is set for the docker runtime: set ORDO_AGENT_DOCKER_IMAGE to an image with ' +
        "Python and Odoo's system libraries (see the README)",
    );
    await expectNothingOf('dk-noimage');

    // An instance that exists: stopping needs no image, starting does.
    await createRunning('dk-image');
    expect((await call(noImage, '/v1/instances/dk-image/stop', { method: 'POST' })).status).toBe(
      200,
    );
    await expectError(
      await call(noImage, '/v1/instances/dk-image/start', { method: 'POST' }),
      503,
      'unavailable',
      message,
    );
    expect(await containersOf('dk-image')).toEqual([]);
    expect(await detail(app, 'dk-image')).toMatchObject({ status: 'stopped' });
  }, 60_000);

  it('port taken: the start is refused before a container is made, and works once freed', async () => {
    const instance = await createRunning('dk-port');
    const port = instance.httpPort ?? 0;
    expect((await call(app, '/v1/instances/dk-port/stop', { method: 'POST' })).status).toBe(200);

    const squatter = await listen(port);
    try {
      const message =
        `Instance "dk-port" did not start: Port ${port} on 127.0.0.1 is in use by another ` +
        'program, so Odoo of dk-port cannot listen on it: stop that program (or change its ' +
        'port), then start the instance again';
      await expectError(
        await call(app, '/v1/instances/dk-port/start', { method: 'POST' }),
        502,
        'unavailable',
        message,
      );
      expect(await containersOf('dk-port')).toEqual([]);
      expect(await detail(app, 'dk-port')).toMatchObject({
        status: 'error',
        statusReason: message.replace('Instance "dk-port" did not start: ', ''),
      });
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }

    expect((await call(app, '/v1/instances/dk-port/start', { method: 'POST' })).status).toBe(200);
    expect(await answersHttp(port)).toBe(200);
  }, 60_000);

  it("container exits at start: the create job fails with the container's last output", async () => {
    const broken = appWith({ dockerImage: await buildBrokenImage() });
    const { job } = await createInstance(broken, config.token, {
      name: 'dk-exit',
      version: '17.0',
    });
    const ended = await jobEnd(broken, config.token, job.id);
    expect(ended).toMatchObject({ state: 'failed', error: { code: 'odoo_start_failed' } });
    expect(ended.error?.message).toMatch(
      /^Odoo's container exited.*; its last output: .*Fatal Python error: .*No module named 'encodings'/s,
    );
    expect(await jobLog(root, job.id)).toContain('Removing what this job created');
    await expectNothingOf('dk-exit');
  }, 60_000);

  it('a container named like the instance that this agent did not make is left alone', async () => {
    const foreign = await startForeignContainer('ordo-dk-foreign');
    try {
      const { job } = await createInstance(app, config.token, {
        name: 'dk-foreign',
        version: '17.0',
      });
      const ended = await jobEnd(app, config.token, job.id);
      expect(ended).toMatchObject({
        state: 'failed',
        error: {
          code: 'container_conflict',
          message:
            'A container named ordo-dk-foreign exists that this agent did not create (it lacks ' +
            `the labels ordo.managed=true, ordo.instance=dk-foreign, ordo.agent-root=${root}); ` +
            'Ordo leaves it alone: remove or rename it, then start the instance again',
        },
      });
      await expectNothingOf('dk-foreign');
      const after = await inspectContainer(foreign);
      expect(after.State.Running).toBe(true);
      expect(after.Config.Labels).toEqual({ 'ordo.test': 'foreign' });
    } finally {
      await removeContainer(foreign);
    }
  }, 60_000);
});
