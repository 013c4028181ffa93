import type { ServerView } from '@ordo/protocol/panel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectTrpcError } from './helpers/expect-trpc-error';
import { createUser } from './helpers/fixtures';
import { addServer, createInstance, installVersion } from './helpers/managed-server';
import { startOdooTestAgent, type OdooTestAgent } from './helpers/odoo-agent';
import { startTestControl, type TestClient, type TestControl } from './helpers/test-control';

const DEV = { email: 'dev@example.com', password: 'developer password 1' };
const DEV_PLUS = { email: 'devplus@example.com', password: 'developer plus password 1' };

describe('connect as through the control plane', () => {
  let control: TestControl;
  let agent: OdooTestAgent;
  let admin: TestClient;
  let server: ServerView;
  let ref: { serverId: string; name: string };

  async function signIn(account: { email: string; password: string }): Promise<TestClient> {
    const client = control.client();
    await client.trpc.auth.login.mutate(account);
    return client;
  }

  beforeAll(async () => {
    [control, agent] = await Promise.all([startTestControl(), startOdooTestAgent()]);
    admin = await control.signedInClient();
    await createUser(control.deps.db, { ...DEV, role: 'developer' });
    await createUser(control.deps.db, { ...DEV_PLUS, role: 'developer_plus' });
    server = await addServer(admin, agent);
    ref = { serverId: server.id, name: 'shop' };
    await installVersion(admin, server.id);
    await createInstance(admin, ref);
  }, 240_000);

  afterAll(async () => {
    await control.close();
    await agent.close();
  });

  it('lists the Odoo users to Developer Plus on production, not to a Developer', async () => {
    const devPlus = await signIn(DEV_PLUS);
    expect(await devPlus.trpc.instances.odooUsers.query(ref)).toEqual([
      { id: 2, login: 'admin', name: 'Administrator' },
    ]);
    const dev = await signIn(DEV);
    await expectTrpcError(dev.trpc.instances.odooUsers.query(ref), {
      code: 'FORBIDDEN',
      status: 403,
      message: 'Your role (Developer) cannot operate production instances',
    });
  });

  it('gives Developer Plus a working single-use link, audited with the Odoo login', async () => {
    const devPlus = await signIn(DEV_PLUS);
    const link = await devPlus.trpc.instances.connectAs.mutate({ ...ref, uid: 2, login: 'admin' });
    const [instance] = await admin.trpc.instances.list.query({ serverId: server.id });
    expect(link.url.startsWith(`${instance?.url ?? '?'}/ordo/connect/`)).toBe(true);
    expect(link.restarted).toBe(false);

    const opened = await fetch(link.url, { redirect: 'manual' });
    expect(opened.status).toBe(303);
    expect(opened.headers.get('set-cookie')).toMatch(/^session_id=/);
    expect((await fetch(link.url, { redirect: 'manual' })).status).toBe(410);

    const [entry] = await admin.trpc.audit.list.query({ action: 'instances.connectAs' });
    expect(entry).toMatchObject({
      userEmail: DEV_PLUS.email,
      role: 'developer_plus',
      action: 'instances.connectAs',
      target: `serverId=${server.id} name=shop`,
      result: 'ok',
      params: { serverId: server.id, name: 'shop', uid: 2, login: 'admin' },
    });
    // The link is a secret while it lives: not in the audit log, not in the control plane's log.
    const token = link.url.split('/').pop() ?? '';
    expect(JSON.stringify(entry)).not.toContain(token);
    expect(control.logs.text()).not.toContain(token);
    expect(control.logs.text()).toContain('connect-as link created');
  });

  it('refuses and audits a Developer on production, and a login that is not the user’s', async () => {
    const dev = await signIn(DEV);
    await expectTrpcError(dev.trpc.instances.connectAs.mutate({ ...ref, uid: 2, login: 'admin' }), {
      code: 'FORBIDDEN',
      status: 403,
      message: 'Your role (Developer) cannot operate production instances',
    });
    const [refused] = await admin.trpc.audit.list.query({
      action: 'instances.connectAs',
      result: 'error',
    });
    expect(refused).toMatchObject({ userEmail: DEV.email, errorCode: 'FORBIDDEN' });

    await expectTrpcError(admin.trpc.instances.connectAs.mutate({ ...ref, uid: 2, login: 'bob' }), {
      code: 'BAD_REQUEST',
      status: 400,
      message: /Odoo user 2 of "shop" is now "admin", not "bob"/,
    });
    await expectTrpcError(
      admin.trpc.instances.connectAs.mutate({ ...ref, uid: 4242, login: 'x' }),
      {
        code: 'NOT_FOUND',
        status: 404,
        message: /No Odoo user with id 4242/,
      },
    );
  });
});
