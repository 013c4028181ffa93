import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentClient } from '@ordo/protocol';
import type { JobView, MigrationView, ServerView } from '@ordo/protocol/panel';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertControlJob, newControlJobId } from '../src/features/migrations/control-job';
import { openJobLocks } from '../src/features/jobs/job-locks';
import { CONTROL_RESTARTED, failOrphanedMigrations } from '../src/features/migrations';
import { insertServerMigration } from '../src/db/repositories/server-migrations.repository';
import { expectTrpcError } from './helpers/expect-trpc-error';
import { chunkText, collectJobLog } from './helpers/job-log';
import { startOdooTestAgent, type OdooTestAgent } from './helpers/odoo-agent';
import { databaseUrl } from './helpers/pg-admin';
import { ADMIN, startTestControl, type TestClient, type TestControl } from './helpers/test-control';

const LONG = 240_000;

/** Rows, filestore bytes and database uuid of an instance, read from its server. */
async function snapshot(agent: OdooTestAgent, name: string) {
  const { managed } = await agent.client.getInstanceConfig(name);
  const db = new pg.Client({ connectionString: databaseUrl(managed.dbName) });
  await db.connect();
  try {
    const partners = await db.query<{ sum: string }>(
      "SELECT md5(string_agg(name || '/' || coalesce(email, ''), '|' ORDER BY name)) AS sum FROM res_partner",
    );
    const uuid = await db.query<{ value: string }>(
      "SELECT value FROM ir_config_parameter WHERE key = 'database.uuid'",
    );
    return {
      partners: partners.rows[0]?.sum ?? '',
      uuid: uuid.rows[0]?.value ?? '',
      files: await treeHashes(join(managed.dataDir, 'filestore', managed.dbName)),
    };
  } finally {
    await db.end();
  }
}

async function treeHashes(dir: string, prefix = ''): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const name = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) Object.assign(result, await treeHashes(path, name));
    else
      result[name] = createHash('sha256')
        .update(await readFile(path))
        .digest('hex');
  }
  return result;
}

/** Customer data on the source: partner rows and incompressible filestore files. */
async function addData(agent: OdooTestAgent, name: string): Promise<void> {
  const { managed } = await agent.client.getInstanceConfig(name);
  const db = new pg.Client({ connectionString: databaseUrl(managed.dbName) });
  await db.connect();
  try {
    await db.query(
      `INSERT INTO res_partner (name, complete_name, email, company_id)
       SELECT 'Customer ' || g, 'Customer ' || g, 'c' || g || '@example.com',
              (SELECT company_id FROM res_partner WHERE company_id IS NOT NULL LIMIT 1)
       FROM generate_series(1, 200) g`,
    );
  } finally {
    await db.end();
  }
  const filestore = join(managed.dataDir, 'filestore', managed.dbName);
  for (let i = 0; i < 12; i += 1) {
    const bytes = randomBytes(64 * 1024);
    const sha = createHash('sha1').update(bytes).digest('hex');
    await mkdir(join(filestore, sha.slice(0, 2)), { recursive: true });
    await writeFile(join(filestore, sha.slice(0, 2), sha), bytes);
  }
}

async function statusOn(agent: OdooTestAgent, name: string): Promise<string | null> {
  const { instances } = await agent.client.listInstances();
  return instances.find((instance) => instance.name === name)?.status ?? null;
}

async function healthOf(client: AgentClient, name: string): Promise<number> {
  const instance = await client.getInstance(name);
  const response = await fetch(`http://127.0.0.1:${instance.httpPort ?? 0}/web/health`);
  await response.body?.cancel();
  return response.status;
}

describe('migrating instances between servers', () => {
  let control: TestControl;
  let client: TestClient;
  let source: OdooTestAgent;
  let target: OdooTestAgent;
  /** No Odoo version at first; then one, but an upload limit too small for any backup. */
  let narrow: OdooTestAgent;
  const servers: Record<'source' | 'target' | 'narrow', ServerView | null> = {
    source: null,
    target: null,
    narrow: null,
  };
  const id = (which: 'source' | 'target' | 'narrow') => servers[which]?.id ?? '';

  async function finished(job: JobView): Promise<{ job: JobView; log: string }> {
    const events = await collectJobLog(client.trpc, { id: job.id });
    const end = events.at(-1);
    if (end?.type !== 'end') throw new Error('the log ended without its end');
    return { job: end.job, log: chunkText(events) };
  }

  async function install(serverId: string): Promise<void> {
    const job = await client.trpc.versions.install.mutate({
      serverId,
      version: '17.0',
      edition: 'community',
    });
    expect((await finished(job)).job.state).toBe('succeeded');
  }

  async function create(name: string, extra: { type?: 'staging'; parent?: string } = {}) {
    const { job } = await client.trpc.instances.create.mutate({
      serverId: id('source'),
      name,
      version: '17.0',
      ...extra,
    });
    expect((await finished(job)).job.state).toBe('succeeded');
  }

  async function migrate(to: string, instances: string[]): Promise<MigrationView> {
    return client.trpc.servers.migrate.mutate({
      sourceServerId: id('source'),
      targetServerId: to,
      instances,
    });
  }

  beforeAll(async () => {
    [control, source, target, narrow] = await Promise.all([
      startTestControl(),
      startOdooTestAgent(),
      startOdooTestAgent(),
      startOdooTestAgent({ env: { ORDO_AGENT_MAX_UPLOAD_BYTES: '4096' } }),
    ]);
    client = await control.signedInClient();
    for (const [key, agent] of [
      ['source', source],
      ['target', target],
      ['narrow', narrow],
    ] as const) {
      servers[key] = await client.trpc.servers.create.mutate({
        name: key,
        agentUrl: agent.url,
        token: agent.token,
      });
    }
    await Promise.all([install(id('source')), install(id('target'))]);
    await create('shop');
    await create('shop-test', { type: 'staging', parent: 'shop' });
    await create('blog');
  }, LONG);

  afterAll(async () => {
    await control?.close();
    await Promise.all([source?.close(), target?.close(), narrow?.close()]);
  }, LONG);

  it('refuses before anything moves: a version the target lacks, a staging without its production', async () => {
    await expectTrpcError(migrate(id('narrow'), ['blog']), {
      code: 'CONFLICT',
      status: 409,
      message: 'Odoo 17.0 is not installed on narrow: install it there first (needed by "blog")',
    });
    await expectTrpcError(migrate(id('target'), ['shop-test']), {
      code: 'CONFLICT',
      status: 409,
      message:
        'Staging instance "shop-test" moves with its production "shop": select "shop" too, or migrate it first',
    });
    await expectTrpcError(migrate(id('source'), ['blog']), {
      code: 'BAD_REQUEST',
      status: 400,
      message: 'Choose a target server other than the source',
    });
    const jobs = await client.trpc.jobs.list.query({ kind: 'migrate' });
    expect(jobs).toEqual([]);
    expect((await target.client.listInstances()).instances).toEqual([]);
    expect(await statusOn(source, 'blog')).toBe('running');
  });

  it(
    'moves running instances with their rows and filestore; the sources are stopped, the panel lists them on the target',
    async () => {
      await addData(source, 'shop');
      const before = await snapshot(source, 'shop');
      expect(Object.keys(before.files).length).toBeGreaterThanOrEqual(12);

      // Listed staging first on purpose: its production moves first all the same.
      const started = await migrate(id('target'), ['shop-test', 'shop']);
      expect(started.job).toMatchObject({
        kind: 'migrate',
        state: 'running',
        serverName: 'source',
        requestedBy: ADMIN.email,
      });
      expect(started.items.map((item) => item.name)).toEqual(['shop', 'shop-test']);
      expect(started.targetServerName).toBe('target');

      const { job, log } = await finished(started.job);
      expect(job).toMatchObject({ state: 'succeeded', progress: 1, error: null });
      expect(log).toContain('sha256 verified');
      expect(log).toContain('stopped, not deleted');

      const view = await client.trpc.servers.migration.query({ id: job.id });
      expect(view.items).toEqual([
        expect.objectContaining({ name: 'shop', state: 'succeeded', step: 'done', progress: 1 }),
        expect.objectContaining({ name: 'shop-test', state: 'succeeded', parent: 'shop' }),
      ]);

      const after = await snapshot(target, 'shop');
      expect(after).toEqual(before);
      expect(await healthOf(target.client, 'shop')).toBe(200);
      expect(await statusOn(target, 'shop-test')).toBe('running');
      expect(await statusOn(source, 'shop')).toBe('stopped');
      expect(await statusOn(source, 'shop-test')).toBe('stopped');

      const onTarget = await client.trpc.instances.list.query({ serverId: id('target') });
      expect(onTarget.map((instance) => [instance.name, instance.status])).toEqual([
        ['shop', 'running'],
        ['shop-test', 'running'],
      ]);
      expect(onTarget[0]?.hasSecrets).toBe(true);
      const onSource = await client.trpc.instances.list.query({ serverId: id('source') });
      expect(onSource.find((instance) => instance.name === 'shop')?.status).toBe('stopped');

      // The agent jobs it ran are mirrored too, each on its server.
      const kinds = (await client.trpc.jobs.list.query({ search: 'shop' })).map(
        (mirrored) => `${mirrored.kind}@${mirrored.serverName}`,
      );
      expect(kinds).toEqual(
        expect.arrayContaining([
          'backup.create@source',
          'instance.create@target',
          'backup.restore@target',
          'migrate@source',
        ]),
      );
    },
    LONG,
  );

  it('refuses a name the target already has', async () => {
    await expectTrpcError(migrate(id('target'), ['shop']), {
      code: 'CONFLICT',
      status: 409,
      message: 'An instance named "shop" already exists on target',
    });
  });

  it(
    'leaves the source running and the target clean when the target stops answering after the backup',
    async () => {
      control.deps.migrationHooks = {
        afterStep: async (step) => {
          if (step === 'backup') await target.stop();
        },
      };
      try {
        const started = await migrate(id('target'), ['blog']);
        const { job, log } = await finished(started.job);
        expect(job.state).toBe('failed');
        expect(job.error?.code).toBe('migration_failed');
        expect(job.error?.message).toContain('blog');
        expect(log).toContain('blog: FAILED: Cannot reach the agent');
        expect(log).toContain('"blog" keeps running on source');
        const view = await client.trpc.servers.migration.query({ id: job.id });
        expect(view.items[0]).toMatchObject({ name: 'blog', state: 'failed' });
      } finally {
        control.deps.migrationHooks = undefined;
        await target.restart();
      }
      expect(await statusOn(source, 'blog')).toBe('running');
      expect(await healthOf(source.client, 'blog')).toBe(200);
      expect(await statusOn(target, 'blog')).toBeNull();
      expect(existsSync(join(target.root, 'instances', 'blog'))).toBe(false);
    },
    LONG,
  );

  it(
    'leaves the source running and removes the new instance when the restore fails on the target',
    async () => {
      await install(id('narrow'));
      const before = await snapshot(source, 'blog');
      const started = await migrate(id('narrow'), ['blog']);
      const { job, log } = await finished(started.job);
      expect(job.state).toBe('failed');
      expect(log).toContain('blog: FAILED');
      expect(log).toContain('removed the partial copy from narrow');
      expect(await statusOn(source, 'blog')).toBe('running');
      expect(await snapshot(source, 'blog')).toEqual(before);
      expect(await statusOn(narrow, 'blog')).toBeNull();
      expect(existsSync(join(narrow.root, 'instances', 'blog'))).toBe(false);
      const mirrored = await client.trpc.instances.list.query({ serverId: id('narrow') });
      expect(mirrored).toEqual([]);
    },
    LONG,
  );

  it(
    'cancels from its job: the instance created on the target is removed, the source runs on',
    async () => {
      let jobId = '';
      control.deps.migrationHooks = {
        afterStep: async (step) => {
          if (step === 'creating') await client.trpc.jobs.cancel.mutate({ id: jobId });
        },
      };
      try {
        const started = await migrate(id('target'), ['blog']);
        jobId = started.job.id;
        const { job, log } = await finished(started.job);
        expect(job.state).toBe('cancelled');
        expect(job.error?.code).toBe('cancelled');
        expect(log).toContain('blog: FAILED: Cancelled from the panel');
        expect(log).toContain('removed the partial copy from target');
      } finally {
        control.deps.migrationHooks = undefined;
      }
      expect(await statusOn(source, 'blog')).toBe('running');
      expect(await statusOn(target, 'blog')).toBeNull();
      await expectTrpcError(client.trpc.jobs.cancel.mutate({ id: jobId }), {
        code: 'CONFLICT',
        status: 409,
        message:
          'This job is not running in this control process (it ended, or another control process runs it)',
      });
    },
    LONG,
  );

  it('marks failed, with the reason, a migration no live control process runs', async () => {
    const db = control.deps.db;
    const jobIds = [newControlJobId(new Date()), newControlJobId(new Date())];
    const admin = await db
      .selectFrom('users')
      .select('id')
      .where('email', '=', ADMIN.email)
      .executeTakeFirstOrThrow();
    for (const jobId of jobIds) {
      await insertControlJob(db, {
        id: jobId,
        kind: 'migrate',
        serverId: id('source'),
        target: 'blog → target',
        requester: { userId: admin.id, email: ADMIN.email },
        now: new Date(),
      });
      await insertServerMigration(db, {
        jobId,
        targetServerId: id('target'),
        targetServerName: 'target',
        items: [
          {
            name: 'blog',
            type: 'production',
            parent: null,
            version: '17.0',
            state: 'running',
            step: 'transferring',
            progress: 0.5,
            error: null,
          },
        ],
      });
    }
    // The second one is held, as by a control process that runs it.
    const locks = await openJobLocks(db);
    try {
      expect(await locks.tryLock(jobIds[1] ?? '')).toBe(true);
      expect(await failOrphanedMigrations(control.deps)).toEqual([jobIds[0]]);
    } finally {
      await locks.close();
    }
    const { job, log } = await finished(await client.trpc.jobs.get.query({ id: jobIds[0] ?? '' }));
    expect(job.state).toBe('failed');
    expect(job.error?.code).toBe(CONTROL_RESTARTED);
    expect(log).toContain('target may hold a partial copy of blog');
    const view = await client.trpc.servers.migration.query({ id: jobIds[0] ?? '' });
    expect(view.items[0]).toMatchObject({ state: 'failed' });
    expect((await client.trpc.jobs.get.query({ id: jobIds[1] ?? '' })).state).toBe('running');
  });
});
