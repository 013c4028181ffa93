import type { ServerView } from '@ordo/protocol/panel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectTrpcError } from './helpers/expect-trpc-error';
import { agentLog, collectJobLog } from './helpers/job-log';
import { addServer, installVersion } from './helpers/managed-server';
import { startOdooTestAgent, type OdooTestAgent } from './helpers/odoo-agent';
import { ADMIN, startTestControl, type TestClient, type TestControl } from './helpers/test-control';

const NAME_FORMAT =
  'Instance name must be 1-63 characters of lowercase letters, digits, "-" or "_", starting with a letter or digit';

describe('instances through the control plane', () => {
  let control: TestControl;
  let client: TestClient;
  let agent: OdooTestAgent;
  let server: ServerView;
  let ref: { serverId: string; name: string };

  beforeAll(async () => {
    [control, agent] = await Promise.all([startTestControl(), startOdooTestAgent()]);
    client = await control.signedInClient();
    server = await addServer(client, agent);
    ref = { serverId: server.id, name: 'acme' };
    await installVersion(client, server.id);
  }, 60_000);
  afterAll(async () => {
    await control.close();
    await agent.close();
  });

  it('checks names: format, then whether the server has it', async () => {
    expect(
      await client.trpc.instances.checkName.query({ serverId: server.id, name: 'Bad Name' }),
    ).toEqual({
      available: false,
      message: NAME_FORMAT,
    });
    expect(await client.trpc.instances.checkName.query(ref)).toEqual({
      available: true,
      message: null,
    });
    await expectTrpcError(
      client.trpc.instances.checkName.query({
        serverId: '00000000-0000-4000-8000-000000000000',
        name: 'acme',
      }),
      { code: 'NOT_FOUND', status: 404, message: 'Server not found: it may have been deleted' },
    );
  });

  it('creates an instance: provisioning at once, secrets encrypted, running after its job', async () => {
    const { job, instance } = await client.trpc.instances.create.mutate({
      serverId: server.id,
      name: 'acme',
      version: '17.0',
    });
    expect(job).toMatchObject({
      kind: 'instance.create',
      target: 'acme',
      serverName: 'odoo1',
      requestedBy: ADMIN.email,
    });
    expect(instance).toMatchObject({
      name: 'acme',
      serverId: server.id,
      status: 'provisioning',
      hasSecrets: true,
      activeJob: expect.objectContaining({ id: job.id }) as unknown,
    });
    const listed = await client.trpc.instances.list.query({ serverId: server.id });
    expect(listed).toEqual([expect.objectContaining({ name: 'acme', status: 'provisioning' })]);
    expect((await agent.client.getJob(job.id)).requestedBy).toBe(ADMIN.email);

    const master = await client.trpc.instances.revealSecret.mutate({ ...ref, secret: 'master' });
    const admin = await client.trpc.instances.revealSecret.mutate({ ...ref, secret: 'admin' });
    expect(master.value.length).toBeGreaterThanOrEqual(16);
    expect(admin.value.length).toBeGreaterThanOrEqual(16);
    expect(master.value).not.toBe(admin.value);
    const rows = await control.deps.db.selectFrom('instance_secrets').selectAll().execute();
    expect(rows.map((row) => row.kind).sort()).toEqual(['admin', 'master']);
    for (const row of rows) {
      expect(row.ciphertext).toMatch(/^v1:/);
      expect(row.ciphertext).not.toContain(master.value);
      expect(row.ciphertext).not.toContain(admin.value);
    }

    const events = await collectJobLog(client.trpc, { id: job.id });
    expect(events.at(-1)).toMatchObject({ type: 'end', job: { state: 'succeeded' } });
    const log = await agentLog(agent.client, job.id);
    for (const secret of [master.value, admin.value]) {
      expect(log).not.toContain(secret);
      expect(control.logs.text()).not.toContain(secret);
    }

    // The job's end refreshed the mirror before the subscription heard of it.
    const [running] = await client.trpc.instances.list.query({ serverId: server.id });
    expect(running).toMatchObject({
      name: 'acme',
      status: 'running',
      activeJob: null,
      hasSecrets: true,
    });
    const port = running?.httpPort;
    expect(port).toEqual(expect.any(Number));
    expect((await fetch(`http://127.0.0.1:${port}/web/health`)).status).toBe(200);
    expect(await client.trpc.instances.checkName.query(ref)).toEqual({
      available: false,
      message: 'An instance named "acme" already exists on odoo1',
    });
  }, 60_000);

  it('passes agent refusals through with their messages', async () => {
    await expectTrpcError(
      client.trpc.instances.create.mutate({ serverId: server.id, name: 'acme', version: '17.0' }),
      {
        code: 'CONFLICT',
        status: 409,
        message: 'An instance named "acme" already exists on this server',
      },
    );
    await expectTrpcError(
      client.trpc.instances.create.mutate({ serverId: server.id, name: 'other', version: '18.0' }),
      {
        code: 'CONFLICT',
        status: 409,
        message: 'Odoo 18.0 is not installed on this server; install it first',
      },
    );
    await expectTrpcError(
      client.trpc.instances.create.mutate({ serverId: server.id, name: '-bad', version: '17.0' }),
      { code: 'BAD_REQUEST', status: 400, message: NAME_FORMAT },
    );
    await expectTrpcError(
      client.trpc.instances.create.mutate({
        serverId: server.id,
        name: 'stage',
        version: '17.0',
        type: 'staging',
      }),
      {
        code: 'BAD_REQUEST',
        status: 400,
        message: 'A staging instance needs its production parent',
      },
    );
    await expectTrpcError(
      client.trpc.instances.config.update.mutate({
        ...ref,
        // @ts-expect-error: a key Ordo does not let admins edit
        settings: { adminPasswd: 'x' },
      }),
      { code: 'BAD_REQUEST', status: 400, message: 'Unrecognized key: "adminPasswd"' },
    );
    await expectTrpcError(client.trpc.instances.stop.mutate({ ...ref, name: 'ghost' }), {
      code: 'NOT_FOUND',
      status: 404,
      message: 'No instance named "ghost" on this server',
    });
    // Nothing was left behind by the refusals.
    const names = (await client.trpc.instances.list.query()).map((i) => i.name);
    expect(names).toEqual(['acme']);
    expect((await agent.client.listInstances()).instances.map((i) => i.name)).toEqual(['acme']);
  });

  it('stops, starts and restarts, mirroring each result', async () => {
    expect(await client.trpc.instances.stop.mutate(ref)).toMatchObject({ status: 'stopped' });
    expect(await client.trpc.instances.list.query()).toEqual([
      expect.objectContaining({ name: 'acme', status: 'stopped' }),
    ]);
    expect(await client.trpc.instances.start.mutate(ref)).toMatchObject({ status: 'running' });
    expect(await client.trpc.instances.restart.mutate(ref)).toMatchObject({ status: 'running' });
    expect(await client.trpc.instances.list.query()).toEqual([
      expect.objectContaining({ name: 'acme', status: 'running' }),
    ]);
  }, 60_000);

  it('reads and changes the configuration, and tails the log', async () => {
    const config = await client.trpc.instances.config.get.query(ref);
    // The test agent prefixes database names (ORDO_AGENT_DB_PREFIX) to share the cluster safely.
    expect(config.managed.dbName).toMatch(/^c[0-9a-f]{6}_acme$/);
    const changed = await client.trpc.instances.config.update.mutate({
      ...ref,
      settings: { workers: config.settings.workers + 1, logLevel: 'debug' },
    });
    expect(changed.settings).toMatchObject({
      workers: config.settings.workers + 1,
      logLevel: 'debug',
    });
    expect(await client.trpc.instances.config.get.query(ref)).toEqual(changed);
    expect(await client.trpc.instances.list.query()).toEqual([
      expect.objectContaining({ name: 'acme', status: 'running' }),
    ]);

    const logs = await client.trpc.instances.logs.query({ ...ref, limit: 50 });
    expect(logs.lines.length).toBeGreaterThan(0);
    expect(logs.cursor).toEqual(expect.any(String));
    const errors = await client.trpc.instances.logs.query({ ...ref, level: 'ERROR' });
    expect(errors.lines.every((line) => line.level === 'ERROR' || line.level === 'CRITICAL')).toBe(
      true,
    );
    await expectTrpcError(client.trpc.instances.logs.query({ ...ref, cursor: 'x' }), {
      code: 'BAD_REQUEST',
      status: 400,
      message: 'cursor must come from a previous answer',
    });
  }, 60_000);

  it('removes the instance on the agent, then its mirror row and secrets', async () => {
    expect(await client.trpc.instances.remove.mutate(ref)).toEqual({ ok: true });
    expect(await client.trpc.instances.list.query()).toEqual([]);
    expect(await control.deps.db.selectFrom('instance_secrets').selectAll().execute()).toEqual([]);
    expect((await agent.client.listInstances()).instances).toEqual([]);
    await expectTrpcError(client.trpc.instances.revealSecret.mutate({ ...ref, secret: 'master' }), {
      code: 'NOT_FOUND',
      status: 404,
      message:
        'No master password is stored for instance "acme": only instances created from this panel have one',
    });
    await expectTrpcError(client.trpc.instances.remove.mutate(ref), {
      code: 'NOT_FOUND',
      status: 404,
      message: 'No instance named "acme" on this server',
    });
  }, 60_000);

  it('forgets on sync the secrets of instances the agent no longer has', async () => {
    await control.deps.db
      .insertInto('instance_secrets')
      .values({ server_id: server.id, instance_name: 'gone', kind: 'master', ciphertext: 'v1:x' })
      .execute();
    await client.trpc.servers.sync.mutate({ id: server.id });
    expect(await control.deps.db.selectFrom('instance_secrets').selectAll().execute()).toEqual([]);
  });
});
