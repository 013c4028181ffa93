import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sendDueEmails } from '../src/features/email';
import { RESET_LINK_INVALID, WRONG_CURRENT_PASSWORD } from '../src/features/auth';
import { TOO_COMMON } from '../src/features/users';
import { saveSmtp } from './helpers/email';
import { expectTrpcError } from './helpers/expect-trpc-error';
import { createUser, signedInUser } from './helpers/fixtures';
import { startTestSmtp, type TestSmtpServer } from './helpers/smtp-server';
import { startTestControl, type TestClient, type TestControl } from './helpers/test-control';

const PANEL = 'https://panel.example.com';
const SIGN_IN_FIRST = { code: 'UNAUTHORIZED', status: 401, message: 'Sign in first' };

describe('passwords: reset links, administrator resets, own changes, log out everywhere', () => {
  let control: TestControl;
  let smtp: TestSmtpServer;
  let admin: TestClient;
  let userId: string;
  let password = 'first password 1';
  const email = 'forgetful@example.com';

  async function signIn(pw = password): Promise<TestClient> {
    const client = control.client();
    signedInUser(await client.trpc.auth.login.mutate({ email, password: pw }));
    return client;
  }

  /** Asks for a link and reads its token out of the delivered email. */
  async function resetToken(): Promise<string> {
    const before = smtp.messages.length;
    await admin.trpc.users.sendResetLink.mutate({ id: userId });
    await sendDueEmails(control.deps);
    const mail = await smtp.waitForMessage(
      (m) => smtp.messages.indexOf(m) >= before && m.envelopeTo.includes(email),
    );
    expect(mail.headers.get('subject')).toBe('Reset your Ordo password');
    const link = /(https:\S+reset-password\?token=\S+)/.exec(mail.body)?.[1];
    if (link === undefined) throw new Error(`no link in:\n${mail.body}`);
    expect(link.startsWith(`${PANEL}/reset-password?token=`)).toBe(true);
    return decodeURIComponent(new URL(link).searchParams.get('token') ?? '');
  }

  beforeAll(async () => {
    [control, smtp] = await Promise.all([
      startTestControl({ follower: false, panelUrl: () => PANEL }),
      startTestSmtp(),
    ]);
    admin = await control.signedInClient();
    userId = (await createUser(control.deps.db, { email, password, role: 'developer' })).id;
  });
  afterAll(async () => {
    await Promise.all([control.close(), smtp.close()]);
  });
  beforeEach(async () => {
    await control.deps.db.deleteFrom('login_failures').execute();
  });

  it('refuses to send a link while SMTP is not configured', async () => {
    await expectTrpcError(admin.trpc.users.sendResetLink.mutate({ id: userId }), {
      code: 'BAD_REQUEST',
      status: 400,
      message:
        'Reset links go by email and SMTP is not configured: set it up in Settings, or set a new password here',
    });
  });

  it('resets with a single-use link and ends the old sessions', async () => {
    await saveSmtp(admin, smtp);
    const oldSession = await signIn();
    const token = await resetToken();

    // A refused password leaves the link usable.
    await expectTrpcError(
      control.client().trpc.auth.resetPassword.mutate({ token, password: 'password123' }),
      { code: 'BAD_REQUEST', status: 400, message: TOO_COMMON },
    );
    await expectTrpcError(
      control.client().trpc.auth.resetPassword.mutate({ token, password: 'short' }),
      { code: 'BAD_REQUEST', status: 400, message: 'The password must be at least 10 characters' },
    );
    password = 'second password 2';
    expect(await control.client().trpc.auth.resetPassword.mutate({ token, password })).toEqual({
      ok: true,
    });
    await expectTrpcError(oldSession.trpc.servers.list.query(), SIGN_IN_FIRST);
    await signIn();
    await expectTrpcError(
      control.client().trpc.auth.resetPassword.mutate({ token, password: 'third password 3' }),
      { code: 'BAD_REQUEST', status: 400, message: RESET_LINK_INVALID },
    );
  });

  it('refuses an expired link', async () => {
    const token = await resetToken();
    await control.deps.db
      .updateTable('password_reset_tokens')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('used_at', 'is', null)
      .execute();
    await expectTrpcError(
      control.client().trpc.auth.resetPassword.mutate({ token, password: 'third password 3' }),
      { code: 'BAD_REQUEST', status: 400, message: RESET_LINK_INVALID },
    );
    await expectTrpcError(
      control.client().trpc.auth.resetPassword.mutate({
        token: 'x'.repeat(43),
        password: 'third password 3',
      }),
      { code: 'BAD_REQUEST', status: 400, message: RESET_LINK_INVALID },
    );
  });

  it('lets an administrator set a new password, which ends the sessions', async () => {
    const session = await signIn();
    await expectTrpcError(
      admin.trpc.users.setPassword.mutate({ id: userId, password: 'qwertyuiop' }),
      { code: 'BAD_REQUEST', status: 400, message: TOO_COMMON },
    );
    password = 'admin chose this 4';
    await admin.trpc.users.setPassword.mutate({ id: userId, password });
    await expectTrpcError(session.trpc.auth.logout.mutate(), SIGN_IN_FIRST);
    await signIn();
  });

  it('lets users change their own password; other sessions end, this one stays', async () => {
    const here = await signIn();
    const elsewhere = await signIn();
    await expectTrpcError(
      here.trpc.account.changePassword.mutate({
        currentPassword: 'not the password',
        newPassword: 'brand new password 5',
      }),
      { code: 'BAD_REQUEST', status: 400, message: WRONG_CURRENT_PASSWORD },
    );
    await expectTrpcError(
      here.trpc.account.changePassword.mutate({ currentPassword: password, newPassword: email }),
      { code: 'BAD_REQUEST', status: 400, message: 'The password must not be the email address' },
    );
    await here.trpc.account.changePassword.mutate({
      currentPassword: password,
      newPassword: 'brand new password 5',
    });
    password = 'brand new password 5';
    expect(await here.trpc.auth.me.query()).toMatchObject({ email });
    await expectTrpcError(elsewhere.trpc.servers.list.query(), SIGN_IN_FIRST);
  });

  it('logs out everywhere, this browser included', async () => {
    const one = await signIn();
    const two = await signIn();
    const sessions = await control.deps.db
      .selectFrom('sessions')
      .select('id')
      .where('user_id', '=', userId)
      .execute();
    expect(sessions.length).toBeGreaterThanOrEqual(2);
    expect(await one.trpc.account.logoutEverywhere.mutate()).toEqual({ ended: sessions.length });
    expect(one.cookies.size).toBe(0);
    expect(await two.trpc.auth.me.query()).toBeNull();
    const left = await control.deps.db
      .selectFrom('sessions')
      .select('id')
      .where('user_id', '=', userId)
      .execute();
    expect(left).toHaveLength(0);
  });
});
