import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { login } from '../src/features/auth';
import { createControlApp } from '../src/http/app';
import { expectTrpcError } from './helpers/expect-trpc-error';
import { createUser, signedInUser } from './helpers/fixtures';
import { ADMIN, startTestControl, type TestControl } from './helpers/test-control';

const WRONG = { code: 'UNAUTHORIZED', status: 401, message: 'Wrong email or password' };
const SIGN_IN_FIRST = { code: 'UNAUTHORIZED', status: 401, message: 'Sign in first' };

describe('auth over tRPC', () => {
  let control: TestControl;
  beforeAll(async () => {
    control = await startTestControl();
  });
  afterAll(async () => {
    await control.close();
  });
  // This file's own database: reset throttling so tests do not count each other's failures.
  beforeEach(async () => {
    await control.deps.db.deleteFrom('login_failures').execute();
  });

  it('reports no user before signing in', async () => {
    expect(await control.client().trpc.auth.me.query()).toBeNull();
  });

  it('signs in, sets a safe session cookie and remembers the login', async () => {
    const client = control.client();
    const user = signedInUser(
      await client.trpc.auth.login.mutate({ email: 'ADMIN@example.com', password: ADMIN.password }),
    );
    expect(user).toMatchObject({ email: ADMIN.email, role: 'admin' });

    const cookie = client.lastSetCookies.find((line) => line.startsWith('ordo_session='));
    expect(cookie).toBeDefined();
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).toMatch(/; Max-Age=604800/);
    expect(cookie).not.toMatch(/Secure/);

    expect(await client.trpc.auth.me.query()).toEqual(user);

    const token = client.cookies.get('ordo_session') ?? '';
    const stored = await control.deps.db.selectFrom('sessions').selectAll().execute();
    expect(stored.map((s) => s.id)).toContain(createHash('sha256').update(token).digest('hex'));
    expect(stored.map((s) => s.id)).not.toContain(token);
    const row = await control.deps.db
      .selectFrom('users')
      .select('last_login_at')
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(row.last_login_at).toBeInstanceOf(Date);
  });

  it('marks the cookie Secure when the public URL is https', async () => {
    const app = createControlApp({ ...control.deps, publicUrl: 'https://ordo.example.com' });
    const response = await app.request('/trpc/auth.login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toMatch(/; Secure/);
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age=/);
  });

  it('gives the same answer for a wrong password, an unknown email and a disabled account', async () => {
    await createUser(control.deps.db, {
      email: 'gone@example.com',
      password: 'disabled pw 1',
      isActive: false,
    });
    const client = control.client();
    await expectTrpcError(
      client.trpc.auth.login.mutate({ email: ADMIN.email, password: 'wrong password' }),
      WRONG,
    );
    await expectTrpcError(
      client.trpc.auth.login.mutate({ email: 'nobody@example.com', password: ADMIN.password }),
      WRONG,
    );
    await expectTrpcError(
      client.trpc.auth.login.mutate({ email: 'gone@example.com', password: 'disabled pw 1' }),
      WRONG,
    );
    expect(client.cookies.size).toBe(0);
  });

  it('validates the login input with readable messages', async () => {
    const { trpc } = control.client();
    await expectTrpcError(trpc.auth.login.mutate({ email: 'not-an-email', password: 'x' }), {
      code: 'BAD_REQUEST',
      status: 400,
      message: 'Enter a valid email address',
    });
    await expectTrpcError(trpc.auth.login.mutate({ email: ADMIN.email, password: '' }), {
      code: 'BAD_REQUEST',
      status: 400,
      message: 'Enter your password',
    });
  });

  it('refuses the 6th attempt within 15 minutes even with the right password', async () => {
    const victim = await createUser(control.deps.db, {
      email: 'victim@example.com',
      password: 'victim password',
    });
    const attacker = control.client();
    for (let i = 0; i < 5; i += 1) {
      await expectTrpcError(
        attacker.trpc.auth.login.mutate({ email: victim.email, password: `guess ${i}` }),
        WRONG,
      );
    }
    const throttled = {
      code: 'TOO_MANY_REQUESTS',
      status: 429,
      message: 'Too many failed sign-ins. Try again in 15 minutes.',
    };
    await expectTrpcError(
      attacker.trpc.auth.login.mutate({ email: victim.email, password: 'victim password' }),
      throttled,
    );

    const raw = await fetch(`${control.url}/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: victim.email, password: 'victim password' }),
    });
    expect(raw.status).toBe(429);
    expect(Number(raw.headers.get('retry-after'))).toBeGreaterThan(14 * 60);

    // Another account is not locked by it.
    await control.client().trpc.auth.login.mutate(ADMIN);

    // Once the failures are older than the window, the account opens again.
    await control.deps.db
      .updateTable('login_failures')
      .set({ failed_at: sql<Date>`now() - interval '16 minutes'` })
      .execute();
    const user = signedInUser(
      await control
        .client()
        .trpc.auth.login.mutate({ email: victim.email, password: 'victim password' }),
    );
    expect(user.email).toBe(victim.email);
  });

  it('says when to retry from the oldest failure that still counts', async () => {
    const user = await createUser(control.deps.db, {
      email: 'soon@example.com',
      password: 'soon password',
    });
    const client = control.client();
    for (let i = 0; i < 5; i += 1) {
      await expectTrpcError(
        client.trpc.auth.login.mutate({ email: user.email, password: `nope ${i}` }),
        WRONG,
      );
    }
    await control.deps.db
      .updateTable('login_failures')
      .set({ failed_at: sql<Date>`now() - interval '14 minutes 30 seconds'` })
      .execute();
    await expectTrpcError(
      client.trpc.auth.login.mutate({ email: user.email, password: 'soon password' }),
      {
        code: 'TOO_MANY_REQUESTS',
        status: 429,
        message: 'Too many failed sign-ins. Try again in 1 minute.',
      },
    );
  });

  it('clears the failures of an email on success', async () => {
    const user = await createUser(control.deps.db, {
      email: 'typo@example.com',
      password: 'typo password',
    });
    const client = control.client();
    for (let i = 0; i < 4; i += 1) {
      await expectTrpcError(
        client.trpc.auth.login.mutate({ email: user.email, password: `t${i}` }),
        WRONG,
      );
    }
    await client.trpc.auth.login.mutate({ email: user.email, password: 'typo password' });
    for (let i = 0; i < 4; i += 1) {
      await expectTrpcError(
        client.trpc.auth.login.mutate({ email: user.email, password: `u${i}` }),
        WRONG,
      );
    }
    await client.trpc.auth.login.mutate({ email: user.email, password: 'typo password' });
  });

  it('throttles one IP after 20 failures across emails', async () => {
    const client = { ip: '203.0.113.9', userAgent: 'test', previousToken: null };
    const deps = control.deps;
    for (let i = 0; i < 20; i += 1) {
      await expect(
        login(deps, { email: `spray${i}@example.com`, password: 'x' }, client),
      ).rejects.toThrow('Wrong email or password');
    }
    await expect(login(deps, ADMIN, client)).rejects.toMatchObject({
      code: 'too_many_requests',
      message: 'Too many failed sign-ins. Try again in 15 minutes.',
    });
    const other = await login(deps, ADMIN, { ...client, ip: '203.0.113.10' });
    expect(signedInUser(other).email).toBe(ADMIN.email);
  });

  it('rotates the session on each sign-in', async () => {
    const client = await control.signedInClient();
    const first = client.cookies.get('ordo_session') ?? '';
    await client.trpc.auth.login.mutate(ADMIN);
    const second = client.cookies.get('ordo_session') ?? '';
    expect(second).not.toBe(first);
    const ids = (await control.deps.db.selectFrom('sessions').select('id').execute()).map(
      (r) => r.id,
    );
    expect(ids).not.toContain(createHash('sha256').update(first).digest('hex'));
    expect(ids).toContain(createHash('sha256').update(second).digest('hex'));
  });

  it('ends the session on logout, for good', async () => {
    const client = await control.signedInClient();
    const token = client.cookies.get('ordo_session') ?? '';
    expect(await client.trpc.auth.logout.mutate()).toEqual({ ok: true });
    expect(client.lastSetCookies.some((line) => /^ordo_session=;.*Max-Age=0/.test(line))).toBe(
      true,
    );
    expect(await client.trpc.auth.me.query()).toBeNull();

    const replay = control.client();
    replay.cookies.set('ordo_session', token);
    await expectTrpcError(replay.trpc.servers.list.query(), SIGN_IN_FIRST);
  });

  it('expires sessions after 7 days, or after 24 hours idle', async () => {
    const absolute = await control.signedInClient();
    await control.deps.db
      .updateTable('sessions')
      .set({ expires_at: sql<Date>`now() - interval '1 second'` })
      .where(
        'id',
        '=',
        createHash('sha256')
          .update(absolute.cookies.get('ordo_session') ?? '')
          .digest('hex'),
      )
      .execute();
    expect(await absolute.trpc.auth.me.query()).toBeNull();

    const idle = await control.signedInClient();
    const idleId = createHash('sha256')
      .update(idle.cookies.get('ordo_session') ?? '')
      .digest('hex');
    await control.deps.db
      .updateTable('sessions')
      .set({ last_seen_at: sql<Date>`now() - interval '25 hours'` })
      .where('id', '=', idleId)
      .execute();
    expect(await idle.trpc.auth.me.query()).toBeNull();
    const left = await control.deps.db
      .selectFrom('sessions')
      .select('id')
      .where('id', '=', idleId)
      .execute();
    expect(left).toEqual([]);
  });

  it('refuses every protected procedure without a session', async () => {
    const { trpc } = control.client();
    const id = '00000000-0000-4000-8000-000000000000';
    await expectTrpcError(trpc.auth.logout.mutate(), SIGN_IN_FIRST);
    await expectTrpcError(trpc.servers.list.query(), SIGN_IN_FIRST);
    await expectTrpcError(
      trpc.servers.create.mutate({ name: 'x', agentUrl: 'http://x:1', token: 'a'.repeat(32) }),
      SIGN_IN_FIRST,
    );
    await expectTrpcError(trpc.servers.update.mutate({ id, name: 'y' }), SIGN_IN_FIRST);
    await expectTrpcError(trpc.servers.remove.mutate({ id }), SIGN_IN_FIRST);
    await expectTrpcError(trpc.servers.ping.mutate({ id }), SIGN_IN_FIRST);
    await expectTrpcError(trpc.servers.sync.mutate({ id }), SIGN_IN_FIRST);
    await expectTrpcError(trpc.instances.list.query(), SIGN_IN_FIRST);
  });

  it('treats a forged cookie as no session and clears it', async () => {
    const client = control.client();
    client.cookies.set('ordo_session', 'forged-token');
    expect(await client.trpc.auth.me.query()).toBeNull();
    expect(client.cookies.has('ordo_session')).toBe(false);
  });
});
