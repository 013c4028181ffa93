import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishAudit, startAudit } from '../src/features/audit';
import { expectTrpcError } from './helpers/expect-trpc-error';
import { createUser, fakeToken, signedInUser } from './helpers/fixtures';
import { closedPort } from './helpers/foreign-servers';
import { ADMIN, startTestControl, type TestClient, type TestControl } from './helpers/test-control';

describe('audit log: every mutation, who, what, outcome', () => {
  let control: TestControl;
  let admin: TestClient;
  let viewer: TestClient;
  let serverId: string;
  const token = fakeToken();

  beforeAll(async () => {
    control = await startTestControl({ follower: false });
    admin = await control.signedInClient();
    await createUser(control.deps.db, {
      email: 'watcher@example.com',
      password: 'watcher password 1',
      role: 'viewer',
    });
    viewer = control.client();
    signedInUser(
      await viewer.trpc.auth.login.mutate({
        email: 'watcher@example.com',
        password: 'watcher password 1',
      }),
    );
    const agentUrl = `http://127.0.0.1:${await closedPort()}`;
    serverId = (await admin.trpc.servers.create.mutate({ name: 'audited', agentUrl, token })).id;
  });
  afterAll(async () => {
    await control.close();
  });

  it('records a mutation with its actor, target and redacted parameters', async () => {
    const [entry] = await admin.trpc.audit.list.query({ action: 'servers.create' });
    expect(entry).toMatchObject({
      userEmail: ADMIN.email,
      role: 'admin',
      action: 'servers.create',
      target: 'name=audited',
      result: 'ok',
      errorCode: null,
      ip: '127.0.0.1',
      params: { name: 'audited', token: '[redacted]' },
    });
    expect(JSON.stringify(entry)).not.toContain(token);
  });

  it('records refusals with the error code', async () => {
    await expectTrpcError(viewer.trpc.servers.remove.mutate({ id: serverId }), {
      code: 'FORBIDDEN',
      status: 403,
      message: 'Your role (Viewer) cannot manage servers',
    });
    const [entry] = await admin.trpc.audit.list.query({
      result: 'error',
      action: 'servers.remove',
    });
    expect(entry).toMatchObject({
      userEmail: 'watcher@example.com',
      role: 'viewer',
      target: `id=${serverId}`,
      result: 'error',
      errorCode: 'FORBIDDEN',
      errorMessage: 'Your role (Viewer) cannot manage servers',
    });
  });

  it('records sign-ins, failed ones under the email tried, never the password', async () => {
    await expectTrpcError(
      control.client().trpc.auth.login.mutate({ email: ADMIN.email, password: 'guessing 123' }),
      { code: 'UNAUTHORIZED', status: 401, message: 'Wrong email or password' },
    );
    await control.client().trpc.auth.login.mutate(ADMIN);
    const entries = await admin.trpc.audit.list.query({ action: 'auth.login', limit: 2 });
    expect(entries.map((e) => [e.result, e.userEmail, e.errorCode])).toEqual([
      ['ok', ADMIN.email, null],
      ['error', ADMIN.email, 'UNAUTHORIZED'],
    ]);
    expect(entries[0]?.userId).not.toBeNull();
    expect(entries[1]?.userId).toBeNull();
    for (const entry of entries) expect(entry.params).toMatchObject({ password: '[redacted]' });
    expect(JSON.stringify(entries)).not.toContain('guessing 123');
  });

  it('keeps codes out of the log', async () => {
    await expectTrpcError(admin.trpc.account.confirmTotp.mutate({ code: '123456' }), {
      code: 'BAD_REQUEST',
      status: 400,
      message: 'This setup has expired: start again to get a new QR code',
    });
    const [entry] = await admin.trpc.audit.list.query({ action: 'account.confirmTotp' });
    expect(entry?.params).toEqual({ code: '[redacted]' });
  });

  it('does not record queries', async () => {
    await admin.trpc.servers.list.query();
    expect(await admin.trpc.audit.actions.query()).not.toContain('servers.list');
  });

  it('filters by user, result, date range and text', async () => {
    const me = await admin.trpc.auth.me.query();
    const mine = await admin.trpc.audit.list.query({ userId: me?.id ?? '' });
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((e) => e.userId === me?.id)).toBe(true);
    const found = await admin.trpc.audit.list.query({ search: 'WATCHER' });
    expect(found.every((e) => e.userEmail === 'watcher@example.com')).toBe(true);
    expect(found.length).toBeGreaterThan(0);
    const future = new Date(Date.now() + 60_000).toISOString();
    expect(await admin.trpc.audit.list.query({ from: future })).toEqual([]);
    const past = new Date(Date.now() - 60 * 60_000).toISOString();
    expect(await admin.trpc.audit.list.query({ to: past })).toEqual([]);
    await expectTrpcError(admin.trpc.audit.list.query({ from: 'yesterday' }), {
      code: 'BAD_REQUEST',
      status: 400,
      message: 'Enter a valid start date',
    });
  });

  it('links the agent jobs an action started back to its entry', async () => {
    const jobId = `job-${randomUUID()}`;
    await control.deps.db
      .insertInto('jobs')
      .values({
        id: jobId,
        server_id: serverId,
        kind: 'instance.create',
        state: 'running',
        progress: 0,
        target: 'shop',
        requested_by: ADMIN.email,
        requested_by_user_id: null,
        error_code: null,
        error_message: null,
        created_at: new Date(),
        started_at: null,
        ended_at: null,
      })
      .execute();
    const auditId = await startAudit(control.deps, {
      user: null,
      action: 'instances.create',
      input: { serverId, name: 'shop' },
      client: { ip: null, userAgent: null },
    });
    await finishAudit(
      control.deps,
      auditId,
      { ok: true, output: { job: { id: jobId, kind: 'instance.create' }, instance: {} } },
      { actorFromOutput: false },
    );
    const job = await control.deps.db
      .selectFrom('jobs')
      .select('audit_id')
      .where('id', '=', jobId)
      .executeTakeFirstOrThrow();
    expect(job.audit_id).toBe(auditId);
    const [entry] = await admin.trpc.audit.list.query({ action: 'instances.create' });
    expect(entry).toMatchObject({
      id: auditId,
      jobIds: [jobId],
      target: `serverId=${serverId} name=shop`,
    });
  });
});
