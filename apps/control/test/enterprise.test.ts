import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerView } from '@ordo/protocol/panel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnterpriseBareRepo } from '../../../test/fixtures/odoo/make-odoo-repo.mjs';
import {
  GITHUB_GREETING,
  startLocalSshd,
  type LocalSshd,
} from '../../../test/fixtures/ssh/local-sshd';
import { expectTrpcError } from './helpers/expect-trpc-error';
import { collectJobLog } from './helpers/job-log';
import { startOdooTestAgent, type OdooTestAgent } from './helpers/odoo-agent';
import { ADMIN, startTestControl, type TestClient, type TestControl } from './helpers/test-control';

describe('Enterprise SSH key and upgrade through tRPC', () => {
  let dir: string;
  let sshd: LocalSshd;
  let control: TestControl;
  let client: TestClient;
  let agent: OdooTestAgent;
  let server: ServerView;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ordo-control-enterprise-'));
    sshd = await startLocalSshd(join(dir, 'sshd'));
    const enterpriseRepo = await createEnterpriseBareRepo(dir, ['17.0']);
    [control, agent] = await Promise.all([
      startTestControl({ follower: { maxBackoffMs: 300, scanIntervalMs: 200 } }),
      startOdooTestAgent({
        settings: {
          ORDO_ENTERPRISE_SSH_TEST_TARGET: sshd.target,
          ORDO_ENTERPRISE_GIT_URL: sshd.gitUrl(enterpriseRepo),
        },
      }),
    ]);
    client = await control.signedInClient();
    server = await client.trpc.servers.create.mutate({
      name: 'odoo1',
      agentUrl: agent.url,
      token: agent.token,
    });
  }, 60_000);

  afterAll(async () => {
    await control.close();
    await agent.close();
    await sshd.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('generates the key, shows it, and tests it against the SSH server', async () => {
    const input = { serverId: server.id };
    expect(await client.trpc.settings.sshKey.get.query(input)).toBeNull();
    await expectTrpcError(client.trpc.settings.sshKey.test.mutate(input), {
      code: 'CONFLICT',
      status: 409,
      message: /no Enterprise SSH key yet/,
    });

    const key = await client.trpc.settings.sshKey.generate.mutate(input);
    expect(key.publicKey).toMatch(/^ssh-ed25519 \S+ ordo@/);
    expect(await client.trpc.settings.sshKey.get.query(input)).toEqual(key);

    const unknown = await client.trpc.settings.sshKey.test.mutate(input);
    expect(unknown).toMatchObject({ ok: false, target: sshd.target });
    expect(unknown.message).toContain('Permission denied (publickey)');

    await sshd.authorize([key.publicKey]);
    expect(await client.trpc.settings.sshKey.test.mutate(input)).toEqual({
      ok: true,
      message: GITHUB_GREETING,
      target: sshd.target,
    });

    // Audited like every mutation.
    const [entry] = await client.trpc.audit.list.query({ action: 'settings.sshKey.generate' });
    expect(entry).toMatchObject({ result: 'ok', userEmail: ADMIN.email });
  }, 60_000);

  it('upgrades an installed version to Enterprise as a mirrored, audited job', async () => {
    await expectTrpcError(
      client.trpc.versions.upgradeEnterprise.mutate({ serverId: server.id, version: '17.0' }),
      {
        code: 'NOT_FOUND',
        status: 404,
        message: 'Odoo 17.0 is not installed on this server; install its Community edition first',
      },
    );
    const install = await client.trpc.versions.install.mutate({
      serverId: server.id,
      version: '17.0',
      edition: 'community',
    });
    const installed = (await collectJobLog(client.trpc, { id: install.id })).at(-1);
    expect(installed).toMatchObject({ type: 'end', job: { state: 'succeeded' } });
    // An instance of the version made before the upgrade becomes Enterprise with it.
    const created = await client.trpc.instances.create.mutate({
      serverId: server.id,
      name: 'shop',
      version: '17.0',
    });
    const made = (await collectJobLog(client.trpc, { id: created.job.id })).at(-1);
    expect(made).toMatchObject({ type: 'end', job: { state: 'succeeded' } });
    const listed = await client.trpc.instances.list.query({ serverId: server.id });
    expect(listed).toMatchObject([{ name: 'shop', edition: 'community' }]);

    const job = await client.trpc.versions.upgradeEnterprise.mutate({
      serverId: server.id,
      version: '17.0',
    });
    expect(job).toMatchObject({
      kind: 'version.enterprise_upgrade',
      target: '17.0',
      serverId: server.id,
      requestedBy: ADMIN.email,
    });
    const events = await collectJobLog(client.trpc, { id: job.id });
    const text = events.flatMap((event) => (event.type === 'chunk' ? [event.text] : [])).join('');
    expect(events.at(-1), text).toMatchObject({
      type: 'end',
      job: { state: 'succeeded', progress: 1 },
    });
    expect(text).toContain('Enterprise modules successfully added');
    // The mirror was refreshed from the agent when the job ended.
    const upgraded = await client.trpc.instances.list.query({ serverId: server.id });
    expect(upgraded).toMatchObject([{ name: 'shop', edition: 'enterprise', status: 'running' }]);

    const list = await client.trpc.versions.list.query({ serverId: server.id });
    expect(list.versions).toMatchObject([{ version: '17.0', edition: 'enterprise' }]);
    expect(list.upgradeJobs).toEqual([]);

    const [entry] = await client.trpc.audit.list.query({ action: 'versions.upgradeEnterprise' });
    expect(entry).toMatchObject({ result: 'ok', jobIds: [job.id] });
  }, 180_000);
});
