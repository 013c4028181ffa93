import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertQuotaLeft } from '../src/features/settings';
import { expectTrpcError } from './helpers/expect-trpc-error';
import { startTestControl, type TestClient, type TestControl } from './helpers/test-control';

// The quota is checked before the agent is called, so no agent is needed: a mirror row counts.
describe('instance quota', () => {
  let control: TestControl;
  let admin: TestClient;

  beforeAll(async () => {
    control = await startTestControl({ follower: false });
    admin = await control.signedInClient();
  });
  afterAll(() => control.close());

  it('is unlimited until set, and refuses a quota below 1', async () => {
    expect(await admin.trpc.settings.quota.query()).toEqual({ maxInstances: null });
    await expectTrpcError(admin.trpc.settings.saveQuota.mutate({ maxInstances: 0 }), {
      code: 'BAD_REQUEST',
      status: 400,
      message: /The quota is at least 1 instance/,
    });
    await expect(assertQuotaLeft(control.deps.db)).resolves.toBeUndefined();
  });

  it('refuses a new instance once the fleet holds as many as the quota allows', async () => {
    const server = await admin.trpc.servers.create.mutate({
      name: 'quota-host',
      agentUrl: 'http://127.0.0.1:9',
      token: 'q'.repeat(64),
    });
    await control.deps.db
      .insertInto('instances')
      .values({
        server_id: server.id,
        name: 'only',
        version: '17.0',
        edition: 'community',
        type: 'production',
        parent: null,
        status: 'running',
        status_reason: null,
        database: 'only',
        http_port: 8100,
        url: null,
        synced_at: new Date(),
      })
      .execute();
    expect(await admin.trpc.settings.saveQuota.mutate({ maxInstances: 1 })).toEqual({
      maxInstances: 1,
    });
    expect(await admin.trpc.settings.quota.query()).toEqual({ maxInstances: 1 });
    await expectTrpcError(
      admin.trpc.instances.create.mutate({ serverId: server.id, name: 'second', version: '17.0' }),
      {
        code: 'CONFLICT',
        status: 409,
        message:
          'The instance quota is used up (1 of 1): delete an instance or raise the quota in Settings',
      },
    );
    await admin.trpc.settings.saveQuota.mutate({ maxInstances: 2 });
    await expect(assertQuotaLeft(control.deps.db)).resolves.toBeUndefined();
  });
});
