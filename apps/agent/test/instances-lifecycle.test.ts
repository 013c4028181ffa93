import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BackupList,
  InstanceActionResult,
  InstanceConfig,
  InstanceDetail,
  InstanceList,
  InstanceLogs,
  JobAccepted,
  RestoreAccepted,
  type RuntimeKind,
} from '@ordo/protocol';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentApp, type AgentConfig } from '../src';
import { verifyOdooPassword } from '../src/odoo/password-hash';
import {
  containersUnder,
  DOCKER_SOCKET,
  dockerEngineAvailable,
  removeContainersUnder,
  TEST_IMAGE,
} from './docker-support';
import { captureLogger, testConfig } from './helpers';
import {
  adminUser,
  answersHttp,
  authed,
  createInstance,
  createPgRole,
  databaseExists,
  expectError,
  installVersion,
  jobEnd,
  jobLog,
  killOdoosUnder,
  odooLeaders,
  partnerNamed,
  testPortRange,
  type TestApp,
} from './instance-support';
import { waitFor } from './job-support';
import { odooRepoUrl } from './odoo-support';

let dir: string;
let root: string;
let config: AgentConfig;
let app: TestApp;
/** The same agent (root, database role, installed version) with ORDO_AGENT_RUNTIME=docker. */
let dockerApp: TestApp;
/** The app `call` talks to: `app`, but the docker one while the lifecycle suite runs on docker. */
let active: TestApp;
let dropRole: () => Promise<void>;

/** The lifecycle suite runs on every runtime; on docker only when an engine can run. */
const RUNTIMES: RuntimeKind[] = dockerEngineAvailable('the instance lifecycle suite on docker')
  ? ['native', 'docker']
  : ['native'];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ordo-instances-'));
  root = join(dir, 'root');
  const role = await createPgRole();
  dropRole = role.drop;
  const range = testPortRange();
  config = {
    ...testConfig(root),
    odooGitUrl: await odooRepoUrl(dir, ['17.0']),
    pgUrl: role.url,
    publicHost: 'odoo.example.test',
    portRange: { from: range.from, to: range.to },
  };
  app = createAgentApp({ config, logger: captureLogger().logger, startedAt: new Date() });
  dockerApp = createAgentApp({
    config: { ...config, runtime: 'docker', dockerSocket: DOCKER_SOCKET, dockerImage: TEST_IMAGE },
    logger: captureLogger().logger,
    startedAt: new Date(),
  });
  active = app;
  await installVersion(app, config.token);
}, 120_000);

afterAll(async () => {
  await killOdoosUnder(root);
  if (RUNTIMES.includes('docker')) await removeContainersUnder(root);
  await dropRole();
  await rm(dir, { recursive: true, force: true });
});

const call = (path: string, init: RequestInit = {}) =>
  active.request(path, authed(config.token, init));

async function detail(name: string): Promise<InstanceDetail> {
  const response = await call(`/v1/instances/${name}`);
  expect(response.status).toBe(200);
  return InstanceDetail.parse(await response.json());
}

async function action(name: string, what: 'start' | 'stop' | 'restart') {
  const response = await call(`/v1/instances/${name}/${what}`, { method: 'POST' });
  expect(response.status, await response.clone().text()).toBe(200);
  return InstanceActionResult.parse(await response.json()).instance;
}

function mainPid(instance: InstanceDetail): number {
  const main = instance.processes.find((process) => process.role === 'main');
  if (!main) throw new Error(`no main process in ${JSON.stringify(instance.processes)}`);
  return main.pid;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

describe.each(RUNTIMES)('instance lifecycle on the %s runtime', (runtime) => {
  beforeAll(() => {
    active = runtime === 'docker' ? dockerApp : app;
  });
  afterAll(() => {
    active = app;
  });

  /** The containers of the agent (docker); the native runtime has none. */
  const containers = async () =>
    runtime === 'docker' ? (await containersUnder(root)).map((container) => container.name) : [];

  it('creates, stops, starts, restarts, reconfigures, backs up, restores and deletes an instance, leaving nothing', async () => {
    const accepted = await createInstance(active, config.token, {
      name: 'shop',
      version: '17.0',
      adminLogin: 'boss',
    });
    expect(accepted.job).toMatchObject({ kind: 'instance.create', target: 'shop' });
    expect(accepted.masterPassword).toMatch(/^[A-Za-z0-9]{24}$/);
    expect(accepted.adminPassword).toMatch(/^[A-Za-z0-9]{20}$/);

    // The name is taken at once: the list shows it provisioning, a second create is refused.
    const listed = InstanceList.parse(await (await call('/v1/instances')).json()).instances;
    expect(listed).toMatchObject([{ name: 'shop', status: 'provisioning' }]);
    await expectError(
      await call('/v1/instances', {
        method: 'POST',
        body: JSON.stringify({ name: 'shop', version: '17.0' }),
      }),
      409,
      'conflict',
      'An instance named "shop" already exists on this server',
    );

    const job = await jobEnd(active, config.token, accepted.job.id);
    expect(job, await jobLog(root, job.id)).toMatchObject({ state: 'succeeded', progress: 1 });
    const log = await jobLog(root, job.id);
    expect(log).toContain('Initialising the database shop with Odoo');
    expect(log).toMatch(/INFO shop odoo\.modules\.loading: Modules loaded\./);
    expect(log).not.toContain(accepted.masterPassword);
    expect(log).not.toContain(accepted.adminPassword);

    // odoo.conf: Odoo's hash of the master password, never the password.
    const instanceDir = join(root, 'instances', 'shop');
    const confPath = join(instanceDir, 'odoo.conf');
    const conf = await readFile(confPath, 'utf8');
    expect(conf).not.toContain(accepted.masterPassword);
    const hash = /^admin_passwd = (\$pbkdf2-sha512\$600000\$\S+)$/m.exec(conf)?.[1] ?? '';
    expect(await verifyOdooPassword(accepted.masterPassword, hash)).toBe(true);
    const shop = await detail('shop');
    for (const line of [
      '[options]',
      'db_name = shop',
      'dbfilter = ^shop$',
      'list_db = False',
      `http_port = ${shop.httpPort}`,
      `gevent_port = ${shop.geventPort}`,
      'http_interface = 127.0.0.1',
      `data_dir = ${instanceDir}/data`,
      `logfile = ${instanceDir}/odoo.log`,
      'proxy_mode = True',
      'workers = 0',
      'without_demo = all',
    ]) {
      expect(conf.split('\n')).toContain(line);
    }
    expect((await stat(confPath)).mode & 0o777).toBe(0o640);

    // The database, with the admin's login and hashed password set.
    expect(await databaseExists('shop')).toBe(true);
    const admin = await adminUser('shop');
    expect(admin.login).toBe('boss');
    expect(await verifyOdooPassword(accepted.adminPassword, admin.password)).toBe(true);

    const port = shop.httpPort ?? 0;
    expect(await answersHttp(port)).toBe(200);
    expect(shop).toMatchObject({
      status: 'running',
      adminLogin: 'boss',
      url: `http://odoo.example.test:${port}`,
      database: 'shop',
      type: 'production',
    });
    expect(shop.processes.filter((process) => process.role === 'main')).toHaveLength(1);
    expect(shop.processes.find((process) => process.role === 'main')?.rssBytes).toBeGreaterThan(0);
    expect(await odooLeaders(confPath)).toEqual([mainPid(shop)]);
    expect(await containers()).toEqual(runtime === 'docker' ? ['ordo-shop'] : []);

    // Stop: no process (no container) left, the port is closed.
    expect(await action('shop', 'stop')).toMatchObject({ status: 'stopped' });
    expect(await odooLeaders(confPath)).toEqual([]);
    expect(await containers()).toEqual([]);
    expect(await answersHttp(port)).toBeNull();
    expect(await exists(join(instanceDir, 'odoo.pid'))).toBe(false);

    expect(await action('shop', 'start')).toMatchObject({ status: 'running' });
    expect(await answersHttp(port)).toBe(200);
    const beforeRestart = mainPid(await detail('shop'));

    expect(await action('shop', 'restart')).toMatchObject({ status: 'running' });
    const afterRestart = mainPid(await detail('shop'));
    expect(afterRestart).not.toBe(beforeRestart);
    expect(await answersHttp(port)).toBe(200);
    expect(await odooLeaders(confPath)).toEqual([afterRestart]);
    expect(await containers()).toEqual(runtime === 'docker' ? ['ordo-shop'] : []);

    // A config change is written and applied by a restart: two workers appear.
    await expectError(
      await call('/v1/instances/shop/config', { method: 'PUT', body: '{"foo": 1}' }),
      400,
      'bad_request',
      'body: Unrecognized key: "foo"',
    );
    const changed = await call('/v1/instances/shop/config', {
      method: 'PUT',
      body: JSON.stringify({ workers: 2, maxCronThreads: 0, logLevel: 'warn' }),
    });
    expect(changed.status, await changed.clone().text()).toBe(200);
    const newConfig = InstanceConfig.parse(await changed.json());
    expect(newConfig.settings).toMatchObject({ workers: 2, maxCronThreads: 0, logLevel: 'warn' });
    expect(newConfig.managed).toMatchObject({ httpPort: port, dbName: 'shop', listDb: false });
    const written = (await readFile(confPath, 'utf8')).split('\n');
    expect(written).toEqual(expect.arrayContaining(['workers = 2', 'max_cron_threads = 0']));
    expect(written).toContain(`admin_passwd = ${hash}`);
    const reconfigured = await detail('shop');
    expect(mainPid(reconfigured)).not.toBe(afterRestart);
    expect(reconfigured.processes.filter((process) => process.role === 'worker')).toHaveLength(2);
    expect(InstanceConfig.parse(await (await call('/v1/instances/shop/config')).json())).toEqual(
      newConfig,
    );

    const logs = InstanceLogs.parse(await (await call('/v1/instances/shop/logs?limit=500')).json());
    expect(
      logs.lines.some((line) => line.message.includes('HTTP service (werkzeug) running')),
    ).toBe(true);

    // Backup and restore go through the same runtime interface on both runtimes: a row added
    // after the backup is gone once the backup is restored, and the instance answers again.
    const backupResponse = await call('/v1/instances/shop/backups', { method: 'POST' });
    expect(backupResponse.status, await backupResponse.clone().text()).toBe(202);
    const backupJob = JobAccepted.parse(await backupResponse.json()).job;
    const backedUp = await jobEnd(active, config.token, backupJob.id, 120_000);
    expect(backedUp.state, JSON.stringify(backedUp.error)).toBe('succeeded');
    const [backup] = BackupList.parse(
      await (await call('/v1/instances/shop/backups')).json(),
    ).backups;
    if (!backup) throw new Error('no backup listed');
    const zip = Buffer.from(await (await call(`/v1/backups/${backup.id}/download`)).arrayBuffer());
    await partnerNamed('shop', 'added after the backup', 'insert');
    const restoreResponse = await call('/v1/instances/shop/restore', {
      method: 'POST',
      body: zip,
      headers: { 'content-type': 'application/zip' },
    });
    expect(restoreResponse.status, await restoreResponse.clone().text()).toBe(202);
    const restoreJob = RestoreAccepted.parse(await restoreResponse.json()).job;
    const restored = await jobEnd(active, config.token, restoreJob.id, 180_000);
    expect(restored.state, JSON.stringify(restored.error)).toBe('succeeded');
    expect(await partnerNamed('shop', 'added after the backup', 'count')).toBe(0);
    expect((await detail('shop')).status).toBe('running');
    expect(await answersHttp(port)).toBe(200);

    // Delete: database, directory, process and port are gone; nothing else is touched.
    const deleted = await call('/v1/instances/shop', { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toEqual({ ok: true });
    expect(await databaseExists('shop')).toBe(false);
    expect(await exists(instanceDir)).toBe(false);
    expect(await odooLeaders(confPath)).toEqual([]);
    expect(await containers()).toEqual([]);
    expect(await answersHttp(port)).toBeNull();
    expect(await exists(join(root, 'versions', '17.0', 'version.json'))).toBe(true);
    await expectError(
      await call('/v1/instances/shop'),
      404,
      'not_found',
      'No instance named "shop" on this server',
    );
  }, 300_000);
});

describe('staging instances', () => {
  it('nests a staging instance under its production and refuses deleting a parent or a creation', async () => {
    const production = await createInstance(app, config.token, { name: 'acme', version: '17.0' });
    await expectError(
      await call('/v1/instances/acme', { method: 'DELETE' }),
      409,
      'conflict',
      `Instance "acme" is still being created (job ${production.job.id}): wait for it to finish before you delete it`,
    );
    await expectError(
      await call('/v1/instances/acme/start', { method: 'POST' }),
      409,
      'conflict',
      /^Instance "acme" is still being created/,
    );
    expect(await jobEnd(app, config.token, production.job.id)).toMatchObject({
      state: 'succeeded',
    });

    const staging = await createInstance(app, config.token, {
      name: 'acme-staging',
      version: '17.0',
      type: 'staging',
      parent: 'acme',
    });
    expect(await jobEnd(app, config.token, staging.job.id)).toMatchObject({ state: 'succeeded' });
    await expectError(
      await call('/v1/instances', {
        method: 'POST',
        body: JSON.stringify({
          name: 'acme-staging2',
          version: '17.0',
          type: 'staging',
          parent: 'acme-staging',
        }),
      }),
      409,
      'conflict',
      `"acme-staging" is a staging instance; a staging instance's parent must be a production instance`,
    );

    const list = InstanceList.parse(await (await call('/v1/instances')).json()).instances;
    expect(
      list.map((instance) => [instance.name, instance.type, instance.parent, instance.status]),
    ).toEqual([
      ['acme', 'production', null, 'running'],
      ['acme-staging', 'staging', 'acme', 'running'],
    ]);
    expect(new Set(list.map((instance) => instance.httpPort)).size).toBe(2);

    await expectError(
      await call('/v1/instances/acme', { method: 'DELETE' }),
      409,
      'conflict',
      'Instance "acme" has staging instances (acme-staging); delete them first',
    );
    expect((await call('/v1/instances/acme-staging', { method: 'DELETE' })).status).toBe(200);
    expect((await call('/v1/instances/acme', { method: 'DELETE' })).status).toBe(200);
    expect(await databaseExists('acme')).toBe(false);
    expect(await databaseExists('acme-staging')).toBe(false);
  }, 60_000);
});

describe('creations that do not finish', () => {
  it('undoes a creation whose database Odoo cannot create, and one that is cancelled', async () => {
    const weak = await createPgRole({ createdb: false });
    try {
      const noCreateDb = createAgentApp({
        config: { ...config, pgUrl: weak.url },
        logger: captureLogger().logger,
        startedAt: new Date(),
      });
      const { job } = await createInstance(noCreateDb, config.token, {
        name: 'nodb',
        version: '17.0',
      });
      const failed = await jobEnd(noCreateDb, config.token, job.id);
      expect(failed.state).toBe('failed');
      expect(failed.error?.code).toBe('odoo_init_failed');
      expect(failed.error?.message).toMatch(
        /^Odoo could not initialise the database "nodb" \(exit 255\): .*odoo\.service\.server: Failed to initialize database `nodb`\. \| odoo\.stand_in\.pg\.PgError: connection to server .* database "nodb" does not exist$/,
      );
      expect(await jobLog(root, job.id)).toContain('Removing what this job created');
      expect(await exists(join(root, 'instances', 'nodb'))).toBe(false);
      expect(await databaseExists('nodb')).toBe(false);
    } finally {
      await weak.drop();
    }

    const { job } = await createInstance(app, config.token, { name: 'cancelled', version: '17.0' });
    await waitFor(
      async () => (await jobLog(root, job.id)).includes('Initialising the database'),
      'the database initialisation',
    );
    expect((await call(`/v1/jobs/${job.id}/cancel`, { method: 'POST' })).status).toBe(202);
    expect(await jobEnd(app, config.token, job.id)).toMatchObject({
      state: 'cancelled',
      error: { code: 'cancelled' },
    });
    expect(await exists(join(root, 'instances', 'cancelled'))).toBe(false);
    expect(await databaseExists('cancelled')).toBe(false);
    expect(await odooLeaders(join(root, 'instances', 'cancelled', 'odoo.conf'))).toEqual([]);
  }, 30_000);
});

describe('refused creations', () => {
  async function refused(
    body: unknown,
    status: number,
    code: string,
    message: string | RegExp,
    target: TestApp = app,
  ) {
    const response = await target.request(
      '/v1/instances',
      authed(config.token, { method: 'POST', body: JSON.stringify(body) }),
    );
    await expectError(response, status, code, message);
  }

  async function nothingLeft(name: string) {
    expect(await exists(join(root, 'instances', name))).toBe(false);
    expect(await databaseExists(name)).toBe(false);
  }

  it('refuses invalid names, naming the rule', async () => {
    for (const name of ['Bad_Name', '-x', 'a'.repeat(64), 'a;rm -rf /', '']) {
      await refused(
        { name, version: '17.0' },
        400,
        'bad_request',
        'name: Instance name must be 1-63 characters of lowercase letters, digits, "-" or "_", starting with a letter or digit',
      );
    }
    expect(await exists(join(root, 'instances', 'a;rm -rf '))).toBe(false);
  });

  it('refuses a name taken by a directory or a database', async () => {
    await mkdir(join(root, 'instances', 'leftover'), { recursive: true });
    await refused(
      { name: 'leftover', version: '17.0' },
      409,
      'conflict',
      'An instance named "leftover" already exists on this server',
    );
    await rm(join(root, 'instances', 'leftover'), { recursive: true });

    const client = new pg.Client({
      host: '127.0.0.1',
      user: 'postgres',
      database: 'postgres',
    });
    await client.connect();
    const taken = `taken_${Date.now().toString(36)}`;
    await client.query(`CREATE DATABASE ${taken}`);
    try {
      await refused(
        { name: taken, version: '17.0' },
        409,
        'conflict',
        `A database named "${taken}" already exists in PostgreSQL at 127.0.0.1:5432; choose another name`,
      );
      expect(await exists(join(root, 'instances', taken))).toBe(false);
    } finally {
      await client.query(`DROP DATABASE ${taken}`);
      await client.end();
    }
  });

  it('refuses an uninstalled version, Enterprise on Community, and staging without a parent', async () => {
    await refused(
      { name: 'old', version: '16.0' },
      409,
      'conflict',
      'Odoo 16.0 is not installed on this server; install it first',
    );
    await nothingLeft('old');
    await refused(
      { name: 'ent', version: '17.0', edition: 'enterprise' },
      409,
      'conflict',
      'Odoo 17.0 is installed without Enterprise on this server; add the Enterprise modules to it first, or create a Community instance',
    );
    await nothingLeft('ent');
    await refused(
      { name: 'stage', version: '17.0', type: 'staging' },
      400,
      'bad_request',
      'parent: A staging instance needs its production parent',
    );
    await refused(
      { name: 'stage', version: '17.0', type: 'staging', parent: 'ghost' },
      409,
      'conflict',
      'The parent instance "ghost" does not exist on this server',
    );
    await nothingLeft('stage');
  });

  it('answers 503 when the port range is used up', async () => {
    const range = testPortRange(2);
    const blockers = await Promise.all(
      [range.from, range.to].map(
        (port) =>
          new Promise<Server>((resolve) => {
            const server = createServer();
            server.listen(port, '127.0.0.1', () => resolve(server));
          }),
      ),
    );
    try {
      const narrow = createAgentApp({
        config: { ...config, portRange: { from: range.from, to: range.to } },
        logger: captureLogger().logger,
        startedAt: new Date(),
      });
      await refused(
        { name: 'crowded', version: '17.0' },
        503,
        'unavailable',
        `No free port in ${range.env}: instances or other programs use them all; widen ORDO_AGENT_PORT_RANGE or delete an instance`,
        narrow,
      );
      await nothingLeft('crowded');
    } finally {
      await Promise.all(blockers.map((server) => new Promise((done) => server.close(done))));
    }
  });

  it('answers 503 when PostgreSQL is down or is the superuser', async () => {
    // A port that was just free: nothing listens there.
    const closedPort = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 1));
      });
    });
    const down = createAgentApp({
      config: { ...config, pgUrl: `postgres://odoo@127.0.0.1:${closedPort}/postgres` },
      logger: captureLogger().logger,
      startedAt: new Date(),
    });
    await refused(
      { name: 'nopg', version: '17.0' },
      503,
      'unavailable',
      `PostgreSQL at 127.0.0.1:${closedPort} is not reachable: connect ECONNREFUSED 127.0.0.1:${closedPort}`,
      down,
    );
    await nothingLeft('nopg');

    const superuser = createAgentApp({
      config: { ...config, pgUrl: 'postgres://postgres@127.0.0.1:5432/postgres' },
      logger: captureLogger().logger,
      startedAt: new Date(),
    });
    await refused(
      { name: 'su', version: '17.0' },
      503,
      'unavailable',
      /^Odoo refuses to connect to PostgreSQL as the superuser "postgres": set ORDO_AGENT_PG_URL/,
      superuser,
    );
    await nothingLeft('su');
  });
});
