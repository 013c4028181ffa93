import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError } from '../src/errors';
import { createServer } from '../src/features/servers';
import { expectTrpcError } from './helpers/expect-trpc-error';
import { fakeToken } from './helpers/fixtures';
import { startTestControl, type TestClient, type TestControl } from './helpers/test-control';

const NOT_FOUND = {
  code: 'NOT_FOUND',
  status: 404,
  message: 'Server not found: it may have been deleted',
};
const BAD_URL =
  'Agent URL must be an http:// or https:// address such as http://10.0.0.5:8070, without credentials, query or fragment';

describe('servers over tRPC', () => {
  let control: TestControl;
  let client: TestClient;
  beforeAll(async () => {
    control = await startTestControl();
    client = await control.signedInClient();
  });
  afterAll(async () => {
    await control.close();
  });

  function create(
    name: string,
    extra: { agentUrl?: string; token?: string; domain?: string } = {},
  ) {
    return client.trpc.servers.create.mutate({
      name,
      agentUrl: extra.agentUrl ?? 'http://10.0.0.5:8070/',
      token: extra.token ?? fakeToken(),
      ...(extra.domain === undefined ? {} : { domain: extra.domain }),
    });
  }

  it('creates a server and lists servers by name', async () => {
    const token = fakeToken();
    const created = await create('zeta', { token, domain: 'Odoo.Example.com' });
    expect(created).toMatchObject({
      name: 'zeta',
      agentUrl: 'http://10.0.0.5:8070',
      domain: 'odoo.example.com',
      tokenPreview: `${token.slice(0, 4)}…${token.slice(-4)}`,
      status: 'unknown',
      instanceCount: 0,
      agentVersion: null,
      runtime: null,
      lastSeenAt: null,
      lastError: null,
      latencyMs: null,
    });
    expect(JSON.stringify(created)).not.toContain(token);
    await create('alpha');
    await create('Beta');
    const names = (await client.trpc.servers.list.query()).map((s) => s.name);
    expect(names).toEqual(['alpha', 'Beta', 'zeta']);
  });

  it('refuses a duplicate name, whatever its case', async () => {
    await create('dup');
    await expectTrpcError(create('DUP'), {
      code: 'CONFLICT',
      status: 409,
      message: 'A server named "DUP" already exists',
    });
  });

  it('maps the unique index to the same conflict when two creates race', async () => {
    const input = {
      name: 'race',
      agentUrl: 'http://10.0.0.9:8070',
      domain: '',
      token: fakeToken(),
    };
    const results = await Promise.allSettled([
      createServer(control.deps, input),
      createServer(control.deps, input),
      createServer(control.deps, input),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const result of results.filter((r) => r.status === 'rejected')) {
      expect(result.reason).toBeInstanceOf(ConflictError);
      expect(result.reason).toMatchObject({ message: 'A server named "race" already exists' });
    }
  });

  it.each([
    ['ftp://10.0.0.5:8070', BAD_URL],
    ['not a url', BAD_URL],
    ['http://user:secret@10.0.0.5:8070', BAD_URL],
    ['http://10.0.0.5:8070/?x=1', BAD_URL],
    ['http://10.0.0.5:8070/#top', BAD_URL],
    ['   ', 'Enter the agent URL'],
  ])('refuses the agent URL %j', async (agentUrl, message) => {
    await expectTrpcError(create('badurl', { agentUrl }), {
      code: 'BAD_REQUEST',
      status: 400,
      message,
    });
  });

  it.each([
    [{ name: '' }, 'Enter a server name'],
    [
      { name: '-dash' },
      'Server name may hold letters, digits, ".", "-" and "_", starting with a letter or digit',
    ],
    [{ name: 'x'.repeat(64) }, 'Server name is at most 63 characters'],
    [{ token: 'short' }, 'The agent token is at least 16 characters'],
    [{ domain: 'not a domain' }, 'Domain must be a host name such as odoo.example.com'],
  ])('refuses %j', async (override, message) => {
    await expectTrpcError(
      client.trpc.servers.create.mutate({
        name: 'valid',
        agentUrl: 'http://10.0.0.5:8070',
        token: fakeToken(),
        ...override,
      }),
      { code: 'BAD_REQUEST', status: 400, message },
    );
  });

  it('stores tokens only encrypted, with a preview', async () => {
    const token = fakeToken();
    const server = await create('secretive', { token });
    const row = await control.deps.db
      .selectFrom('servers')
      .selectAll()
      .where('id', '=', server.id)
      .executeTakeFirstOrThrow();
    expect(row.token_ciphertext).toMatch(/^v1:/);
    expect(row.token_ciphertext).not.toContain(token);
    expect(row.token_preview).toBe(`${token.slice(0, 4)}…${token.slice(-4)}`);
    expect(JSON.stringify(row)).not.toContain(token);
    expect(control.deps.secretBox.decrypt(row.token_ciphertext)).toBe(token);
  });

  it('updates settings, keeping the token unless a new one is given', async () => {
    const original = fakeToken();
    const server = await create('editable', { token: original });
    const storedToken = async () => {
      const row = await control.deps.db
        .selectFrom('servers')
        .select('token_ciphertext')
        .where('id', '=', server.id)
        .executeTakeFirstOrThrow();
      return control.deps.secretBox.decrypt(row.token_ciphertext);
    };

    const renamed = await client.trpc.servers.update.mutate({
      id: server.id,
      name: 'edited',
      domain: 'erp.example.com',
      agentUrl: 'https://10.0.0.6:8443',
    });
    expect(renamed).toMatchObject({
      id: server.id,
      name: 'edited',
      domain: 'erp.example.com',
      agentUrl: 'https://10.0.0.6:8443',
      tokenPreview: server.tokenPreview,
    });
    expect(await storedToken()).toBe(original);

    await client.trpc.servers.update.mutate({ id: server.id, token: '   ' });
    expect(await storedToken()).toBe(original);

    const replacement = fakeToken();
    const updated = await client.trpc.servers.update.mutate({ id: server.id, token: replacement });
    expect(updated.tokenPreview).toBe(`${replacement.slice(0, 4)}…${replacement.slice(-4)}`);
    expect(await storedToken()).toBe(replacement);

    await expectTrpcError(client.trpc.servers.update.mutate({ id: server.id, token: 'short' }), {
      code: 'BAD_REQUEST',
      status: 400,
      message: 'The agent token is at least 16 characters',
    });
  });

  it('refuses renaming onto another server and updating an unknown one', async () => {
    await create('taken');
    const server = await create('renamer');
    await expectTrpcError(client.trpc.servers.update.mutate({ id: server.id, name: 'TAKEN' }), {
      code: 'CONFLICT',
      status: 409,
      message: 'A server named "TAKEN" already exists',
    });
    // Changing only the case of its own name is fine.
    expect((await client.trpc.servers.update.mutate({ id: server.id, name: 'Renamer' })).name).toBe(
      'Renamer',
    );
    await expectTrpcError(
      client.trpc.servers.update.mutate({ id: '00000000-0000-4000-8000-000000000000', name: 'x' }),
      NOT_FOUND,
    );
    await expectTrpcError(client.trpc.servers.update.mutate({ id: 'nope', name: 'x' }), {
      code: 'BAD_REQUEST',
      status: 400,
      message: 'Invalid UUID',
    });
  });

  it('removes a server, and only once', async () => {
    const server = await create('doomed');
    expect(await client.trpc.servers.remove.mutate({ id: server.id })).toEqual({ ok: true });
    const names = (await client.trpc.servers.list.query()).map((s) => s.name);
    expect(names).not.toContain('doomed');
    await expectTrpcError(client.trpc.servers.remove.mutate({ id: server.id }), NOT_FOUND);
  });
});
