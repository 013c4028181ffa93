import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { removeUser, TOO_COMMON } from '../src/features/users';
import { expectTrpcError } from './helpers/expect-trpc-error';
import { createUser, fakeToken, signedInUser } from './helpers/fixtures';
import { closedPort } from './helpers/foreign-servers';
import { startTestControl, type TestClient, type TestControl } from './helpers/test-control';

const SIGN_IN_FIRST = { code: 'UNAUTHORIZED', status: 401, message: 'Sign in first' };
const forbidden = (message: string | RegExp) => ({ code: 'FORBIDDEN', status: 403, message });

describe('users: accounts, access and their limits', () => {
  let control: TestControl;
  let admin: TestClient;
  let adminId: string;
  let serverA: string;
  let serverB: string;

  async function signIn(email: string, password: string): Promise<TestClient> {
    const client = control.client();
    signedInUser(await client.trpc.auth.login.mutate({ email, password }));
    return client;
  }

  beforeAll(async () => {
    control = await startTestControl({ follower: false });
    admin = await control.signedInClient();
    adminId = (await admin.trpc.auth.me.query())?.id ?? '';
    const agentUrl = `http://127.0.0.1:${await closedPort()}`;
    serverA = (
      await admin.trpc.servers.create.mutate({ name: 'alpha', agentUrl, token: fakeToken() })
    ).id;
    serverB = (
      await admin.trpc.servers.create.mutate({ name: 'beta', agentUrl, token: fakeToken() })
    ).id;
  });
  afterAll(async () => {
    await control.close();
  });
  beforeEach(async () => {
    await control.deps.db.deleteFrom('login_failures').execute();
  });

  it('creates an account with a role, user management and a server restriction', async () => {
    const { user, welcomeEmail } = await admin.trpc.users.create.mutate({
      email: 'Dev@Example.com',
      password: 'developer password 1',
      role: 'developer',
      allowUserManagement: true,
      serverId: serverA,
    });
    expect(welcomeEmail).toBe('smtp_not_configured');
    expect(user).toMatchObject({
      email: 'dev@example.com',
      role: 'developer',
      allowUserManagement: true,
      serverId: serverA,
      serverName: 'alpha',
      isActive: true,
      mfaMethod: null,
      lastLoginAt: null,
    });
    const dev = await signIn('dev@example.com', 'developer password 1');
    expect(await dev.trpc.auth.me.query()).toMatchObject({
      role: 'developer',
      allowUserManagement: true,
      serverId: serverA,
      permissions: ['fleet.read', 'instances.staging.operate', 'users.manage', 'account.manage'],
    });
    const [listed] = await admin.trpc.users.list.query({ search: 'dev@' });
    expect(listed?.lastLoginAt).not.toBeNull();
  });

  it('defaults to Viewer without user management or restriction', async () => {
    const { user } = await admin.trpc.users.create.mutate({
      email: 'viewer@example.com',
      password: 'viewer password 1',
    });
    expect(user).toMatchObject({ role: 'viewer', allowUserManagement: false, serverId: null });
  });

  it('refuses bad input with messages a person can act on', async () => {
    const bad = (
      input: { email: string; password: string },
      message: string,
      code = 'BAD_REQUEST',
    ) =>
      expectTrpcError(admin.trpc.users.create.mutate(input), {
        code,
        status: code === 'CONFLICT' ? 409 : 400,
        message,
      });
    await bad({ email: 'nope', password: 'long enough 123' }, 'Enter a valid email address');
    await bad(
      { email: 'short@example.com', password: 'short' },
      'The password must be at least 10 characters',
    );
    await bad({ email: 'common@example.com', password: '1234567890' }, TOO_COMMON);
    await bad({ email: 'common@example.com', password: 'Qwertyuiop' }, TOO_COMMON);
    await bad(
      { email: 'VIEWER@example.com', password: 'another password 1' },
      'An account for viewer@example.com already exists',
      'CONFLICT',
    );
    await expectTrpcError(
      admin.trpc.users.create.mutate({
        email: 'ghost@example.com',
        password: 'ghost password 1',
        serverId: '00000000-0000-4000-8000-000000000000',
      }),
      { code: 'NOT_FOUND', status: 404, message: 'That server does not exist (any more)' },
    );
  });

  it('lists with a search and a role filter', async () => {
    const all = await admin.trpc.users.list.query();
    expect(all.map((u) => u.email)).toEqual([
      'admin@example.com',
      'dev@example.com',
      'viewer@example.com',
    ]);
    expect((await admin.trpc.users.list.query({ role: 'viewer' })).map((u) => u.email)).toEqual([
      'viewer@example.com',
    ]);
    expect((await admin.trpc.users.list.query({ search: 'DEV' })).map((u) => u.email)).toEqual([
      'dev@example.com',
    ]);
  });

  it('ends the sessions of a deactivated account at once, and refuses its sign-ins', async () => {
    const viewer = await signIn('viewer@example.com', 'viewer password 1');
    const [target] = await admin.trpc.users.list.query({ search: 'viewer@' });
    const id = target?.id ?? '';
    expect(await admin.trpc.users.update.mutate({ id, isActive: false })).toMatchObject({
      isActive: false,
    });
    await expectTrpcError(viewer.trpc.servers.list.query(), SIGN_IN_FIRST);
    await expectTrpcError(
      control.client().trpc.auth.login.mutate({
        email: 'viewer@example.com',
        password: 'viewer password 1',
      }),
      { code: 'UNAUTHORIZED', status: 401, message: 'Wrong email or password' },
    );
    await admin.trpc.users.update.mutate({ id, isActive: true });
    await signIn('viewer@example.com', 'viewer password 1');
  });

  it('takes a role change into account on the very next request', async () => {
    const viewer = await signIn('viewer@example.com', 'viewer password 1');
    await expectTrpcError(
      viewer.trpc.servers.ping.mutate({ id: serverA }),
      forbidden('Your role (Viewer) cannot manage servers'),
    );
    const [target] = await admin.trpc.users.list.query({ search: 'viewer@' });
    await admin.trpc.users.update.mutate({ id: target?.id ?? '', role: 'maintainer' });
    expect((await viewer.trpc.servers.ping.mutate({ id: serverA })).ok).toBe(false);
    await admin.trpc.users.update.mutate({ id: target?.id ?? '', role: 'viewer' });
  });

  it('never lets anyone delete or change their own account', async () => {
    await expectTrpcError(
      admin.trpc.users.remove.mutate({ id: adminId }),
      forbidden('You cannot delete your own account'),
    );
    await expectTrpcError(
      admin.trpc.users.update.mutate({ id: adminId, role: 'viewer' }),
      forbidden('Ask another administrator to change your own access'),
    );
    await expectTrpcError(
      admin.trpc.users.setPassword.mutate({ id: adminId, password: 'my own new password' }),
      forbidden('Change your own password from your account page'),
    );
  });

  it('never removes the last active admin', async () => {
    const other = await createUser(control.deps.db, {
      email: 'admin2@example.com',
      password: 'second admin password',
      role: 'admin',
    });
    // admin2's own account was just switched off elsewhere; its last request still runs.
    await control.deps.db
      .updateTable('users')
      .set({ is_active: false })
      .where('id', '=', other.id)
      .execute();
    const actor = {
      id: other.id,
      email: other.email,
      role: 'admin' as const,
      allowUserManagement: false,
      serverId: null,
    };
    await expect(removeUser(control.deps, actor, adminId)).rejects.toMatchObject({
      code: 'conflict',
      message:
        'admin@example.com is the last active admin: make another account admin before you delete it',
    });
    await control.deps.db
      .updateTable('users')
      .set({ is_active: true })
      .where('id', '=', other.id)
      .execute();
    const second = await signIn(other.email, 'second admin password');
    await second.trpc.users.update.mutate({ id: adminId, role: 'maintainer' });
    await expectTrpcError(
      second.trpc.users.update.mutate({ id: other.id, isActive: false }),
      forbidden('Ask another administrator to change your own access'),
    );
    await second.trpc.users.update.mutate({ id: adminId, role: 'admin' });
    await admin.trpc.users.remove.mutate({ id: other.id });
    await expectTrpcError(admin.trpc.users.remove.mutate({ id: other.id }), {
      code: 'NOT_FOUND',
      status: 404,
      message: 'This user does not exist (any more)',
    });
  });

  it('does not let "Allow user management" climb above its own role', async () => {
    await createUser(control.deps.db, {
      email: 'lead@example.com',
      password: 'lead password 123',
      role: 'maintainer',
      allowUserManagement: true,
    });
    const lead = await signIn('lead@example.com', 'lead password 123');
    await expectTrpcError(
      lead.trpc.users.create.mutate({
        email: 'boss@example.com',
        password: 'boss password 123',
        role: 'admin',
      }),
      forbidden('You cannot give the role Admin: it is above yours (Maintainer)'),
    );
    await expectTrpcError(
      lead.trpc.users.setPassword.mutate({ id: adminId, password: 'taken over 12345' }),
      forbidden('admin@example.com is Admin, above your role (Maintainer)'),
    );
    const { user } = await lead.trpc.users.create.mutate({
      email: 'junior@example.com',
      password: 'junior password 1',
      role: 'developer_plus',
    });
    expect(user.role).toBe('developer_plus');
  });

  it('keeps a server-limited manager to the accounts of their server', async () => {
    const dev = await signIn('dev@example.com', 'developer password 1');
    expect((await dev.trpc.users.list.query()).map((u) => u.email)).toEqual(['dev@example.com']);
    const { user } = await dev.trpc.users.create.mutate({
      email: 'helper@example.com',
      password: 'helper password 1',
      role: 'viewer',
    });
    expect(user).toMatchObject({ serverId: serverA, serverName: 'alpha' });
    await expectTrpcError(
      dev.trpc.users.create.mutate({
        email: 'outsider@example.com',
        password: 'outsider password',
        serverId: serverB,
      }),
      forbidden(
        'Your account is limited to one server: the accounts you manage are limited to it too',
      ),
    );
    await expectTrpcError(dev.trpc.users.remove.mutate({ id: adminId }), {
      code: 'NOT_FOUND',
      status: 404,
      message: 'This user does not exist (any more)',
    });
  });

  it('needs SMTP to send an email', async () => {
    await expectTrpcError(
      admin.trpc.users.sendEmail.mutate({ id: adminId, subject: 'Hi', body: 'Hello' }),
      {
        code: 'BAD_REQUEST',
        status: 400,
        message: 'SMTP is not configured: set it up in Settings first',
      },
    );
    await expectTrpcError(
      admin.trpc.users.sendEmail.mutate({ id: adminId, subject: ' ', body: '' }),
      { code: 'BAD_REQUEST', status: 400, message: 'Enter a subject; Write a message' },
    );
  });
});
