import { AGENT_VERSION } from '@ordo/agent';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentClientFactory } from '../src/features/servers';
import { expectTrpcError } from './helpers/expect-trpc-error';
import { fakeToken } from './helpers/fixtures';
import { closedPort, type ForeignServer, startForeignServer } from './helpers/foreign-servers';
import { startTestAgent, type TestAgent } from './helpers/test-agent';
import { startTestControl, type TestClient, type TestControl } from './helpers/test-control';

describe('servers.ping', () => {
  let control: TestControl;
  let client: TestClient;
  let agent: TestAgent;
  const foreign: ForeignServer[] = [];

  beforeAll(async () => {
    // A short timeout keeps the "never answers" case fast; the live agent answers in milliseconds.
    control = await startTestControl({
      agentClientFactory: createAgentClientFactory({ timeoutMs: 1_000 }),
    });
    client = await control.signedInClient();
    agent = await startTestAgent();
  });
  afterAll(async () => {
    await Promise.all(foreign.map((server) => server.close()));
    await agent.close();
    await control.close();
  });

  async function serverAt(name: string, agentUrl: string, token = fakeToken()) {
    return client.trpc.servers.create.mutate({ name, agentUrl, token });
  }
  async function listed(id: string) {
    const found = (await client.trpc.servers.list.query()).find((server) => server.id === id);
    if (found === undefined) throw new Error(`server ${id} not listed`);
    return found;
  }

  it('reaches a live agent and records it as active', async () => {
    const server = await serverAt('live', agent.url, agent.token);
    const result = await client.trpc.servers.ping.mutate({ id: server.id });
    expect(result).toMatchObject({ ok: true, agentVersion: AGENT_VERSION, runtime: 'native' });
    if (!result.ok) return;
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(result.hostname).not.toBe('');

    const view = await listed(server.id);
    expect(view).toMatchObject({
      status: 'active',
      agentVersion: AGENT_VERSION,
      runtime: 'native',
      lastError: null,
      latencyMs: result.latencyMs,
    });
    expect(Date.parse(view.lastSeenAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
  });

  it('says the agent cannot be reached when nothing listens', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const server = await serverAt('closed', url);
    const message = `Cannot reach the agent at ${url} (ECONNREFUSED)`;
    expect(await client.trpc.servers.ping.mutate({ id: server.id })).toMatchObject({
      ok: false,
      failure: 'unreachable',
      message,
    });
    expect(await listed(server.id)).toMatchObject({
      status: 'inactive',
      lastError: message,
      latencyMs: null,
    });
  });

  it('says the token is wrong when the agent refuses it', async () => {
    const server = await serverAt('wrong-token', agent.url, fakeToken());
    const message = 'The agent refused the token: check the token of this server';
    expect(await client.trpc.servers.ping.mutate({ id: server.id })).toMatchObject({
      ok: false,
      failure: 'unauthorized',
      message,
    });
    expect(await listed(server.id)).toMatchObject({ status: 'inactive', lastError: message });

    // The right token brings it back; changing the token first resets the stale status.
    const fixed = await client.trpc.servers.update.mutate({ id: server.id, token: agent.token });
    expect(fixed).toMatchObject({ status: 'unknown', lastError: null });
    expect(await client.trpc.servers.ping.mutate({ id: server.id })).toMatchObject({ ok: true });
    expect(await listed(server.id)).toMatchObject({ status: 'active', lastError: null });
  });

  it('recognises a web server answering HTML as not an Ordo agent', async () => {
    const html = await startForeignServer((res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>nginx</title>');
    });
    foreign.push(html);
    const server = await serverAt('html', html.url);
    expect(await client.trpc.servers.ping.mutate({ id: server.id })).toMatchObject({
      ok: false,
      failure: 'not_ordo_agent',
      message: `The server at ${html.url} answered HTTP 200 without JSON: it is not an Ordo agent`,
    });
    expect(await listed(server.id)).toMatchObject({ status: 'inactive' });
  });

  it('recognises a service answering unrelated JSON as not an Ordo agent', async () => {
    const json = await startForeignServer((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'UP', service: 'spring-boot' }));
    });
    foreign.push(json);
    const server = await serverAt('json', json.url);
    expect(await client.trpc.servers.ping.mutate({ id: server.id })).toMatchObject({
      ok: false,
      failure: 'not_ordo_agent',
      message: `The server at ${json.url} is not an Ordo agent`,
    });
  });

  it('gives up on a server that never answers', async () => {
    const silent = await startForeignServer(null);
    foreign.push(silent);
    const server = await serverAt('silent', silent.url);
    const result = await client.trpc.servers.ping.mutate({ id: server.id });
    expect(result).toMatchObject({
      ok: false,
      failure: 'timeout',
      message: `The agent at ${silent.url} did not answer within 1 s`,
    });
    expect(result.latencyMs).toBeGreaterThanOrEqual(900);
    expect(await listed(server.id)).toMatchObject({
      status: 'inactive',
      lastError: `The agent at ${silent.url} did not answer within 1 s`,
    });
  });

  it('refuses to ping an unknown server', async () => {
    await expectTrpcError(
      client.trpc.servers.ping.mutate({ id: '00000000-0000-4000-8000-000000000000' }),
      { code: 'NOT_FOUND', status: 404, message: 'Server not found: it may have been deleted' },
    );
  });
});
