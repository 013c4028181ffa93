import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectTrpcError } from './helpers/expect-trpc-error';
import { fakeToken } from './helpers/fixtures';
import { closedPort } from './helpers/foreign-servers';
import {
  removeInstanceRecord,
  startTestAgent,
  type TestAgent,
  writeInstanceRecord,
} from './helpers/test-agent';
import { startTestControl, type TestClient, type TestControl } from './helpers/test-control';

describe('servers.sync and instances.list', () => {
  let control: TestControl;
  let client: TestClient;
  let agent: TestAgent;

  beforeAll(async () => {
    control = await startTestControl();
    client = await control.signedInClient();
    agent = await startTestAgent();
  });
  afterAll(async () => {
    await agent.close();
    await control.close();
  });

  it('pulls the agent instances, updates changed ones and drops vanished ones', async () => {
    await writeInstanceRecord(agent.root, { name: 'prod', httpPort: 8069 });
    await writeInstanceRecord(agent.root, {
      name: 'prod-staging',
      type: 'staging',
      parent: 'prod',
      httpPort: 8070,
      url: 'https://staging.example.com',
    });
    const server = await client.trpc.servers.create.mutate({
      name: 'main',
      agentUrl: agent.url,
      token: agent.token,
    });

    expect(await client.trpc.servers.sync.mutate({ id: server.id })).toEqual({
      instanceCount: 2,
      added: 2,
      removed: 0,
    });
    const instances = await client.trpc.instances.list.query();
    expect(instances).toEqual([
      expect.objectContaining({
        serverId: server.id,
        serverName: 'main',
        name: 'prod',
        version: '17.0',
        edition: 'community',
        type: 'production',
        parent: null,
        status: 'stopped',
        database: 'prod',
        httpPort: 8069,
        url: null,
      }),
      expect.objectContaining({
        serverName: 'main',
        name: 'prod-staging',
        type: 'staging',
        parent: 'prod',
        url: 'https://staging.example.com',
      }),
    ]);
    const listed = (await client.trpc.servers.list.query()).find((s) => s.id === server.id);
    expect(listed).toMatchObject({ instanceCount: 2, status: 'active', lastError: null });

    await removeInstanceRecord(agent.root, 'prod-staging');
    await writeInstanceRecord(agent.root, { name: 'prod', version: '18.0', edition: 'enterprise' });
    await writeInstanceRecord(agent.root, { name: 'demo' });
    expect(await client.trpc.servers.sync.mutate({ id: server.id })).toEqual({
      instanceCount: 2,
      added: 1,
      removed: 1,
    });
    const after = await client.trpc.instances.list.query({ serverId: server.id });
    expect(after.map((i) => [i.name, i.version, i.edition])).toEqual([
      ['demo', '17.0', 'community'],
      ['prod', '18.0', 'enterprise'],
    ]);
  });

  it('filters by server, and forgets instances with their server', async () => {
    const other = await client.trpc.servers.create.mutate({
      name: 'mirror',
      agentUrl: agent.url,
      token: agent.token,
    });
    await client.trpc.servers.sync.mutate({ id: other.id });
    const all = await client.trpc.instances.list.query();
    expect(new Set(all.map((i) => i.serverName))).toEqual(new Set(['main', 'mirror']));
    const mirrorOnly = await client.trpc.instances.list.query({ serverId: other.id });
    expect(mirrorOnly.length).toBeGreaterThan(0);
    expect(mirrorOnly.every((i) => i.serverId === other.id)).toBe(true);

    await client.trpc.servers.remove.mutate({ id: other.id });
    expect(await client.trpc.instances.list.query({ serverId: other.id })).toEqual([]);
    const rows = await control.deps.db
      .selectFrom('instances')
      .select('name')
      .where('server_id', '=', other.id)
      .execute();
    expect(rows).toEqual([]);
  });

  it('refuses a malformed server id filter', async () => {
    await expectTrpcError(client.trpc.instances.list.query({ serverId: 'x' }), {
      code: 'BAD_REQUEST',
      status: 400,
      message: 'Invalid UUID',
    });
  });

  it('answers BAD_GATEWAY with the plain reason when the agent is unreachable, keeping the mirror', async () => {
    const server = await client.trpc.servers.create.mutate({
      name: 'flaky',
      agentUrl: agent.url,
      token: agent.token,
    });
    await client.trpc.servers.sync.mutate({ id: server.id });
    const before = await client.trpc.instances.list.query({ serverId: server.id });
    expect(before.length).toBeGreaterThan(0);

    const url = `http://127.0.0.1:${await closedPort()}`;
    await client.trpc.servers.update.mutate({ id: server.id, agentUrl: url });
    const message = `Cannot reach the agent at ${url} (ECONNREFUSED)`;
    await expectTrpcError(client.trpc.servers.sync.mutate({ id: server.id }), {
      code: 'BAD_GATEWAY',
      status: 502,
      message,
    });
    expect(await client.trpc.instances.list.query({ serverId: server.id })).toEqual(before);
    const listed = (await client.trpc.servers.list.query()).find((s) => s.id === server.id);
    expect(listed).toMatchObject({ status: 'inactive', lastError: message });
  });

  it('answers BAD_GATEWAY when the agent refuses the token', async () => {
    const server = await client.trpc.servers.create.mutate({
      name: 'locked',
      agentUrl: agent.url,
      token: fakeToken(),
    });
    await expectTrpcError(client.trpc.servers.sync.mutate({ id: server.id }), {
      code: 'BAD_GATEWAY',
      status: 502,
      message: 'The agent refused the token: check the token of this server',
    });
  });
});
