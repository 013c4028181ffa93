import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EmailWorker } from '../src/features/email';
import { SMTP_NEEDED_FOR_EMAIL_2FA } from '../src/features/mfa';
import { codeOf, runEmailWorker, saveSmtp } from './helpers/email';
import { expectTrpcError } from './helpers/expect-trpc-error';
import { createUser, signedInUser } from './helpers/fixtures';
import { startTestSmtp, type ReceivedMail, type TestSmtpServer } from './helpers/smtp-server';
import { startTestControl, type TestClient, type TestControl } from './helpers/test-control';

const USER = { email: 'mailcode@example.com', password: 'mail code password 1' };
// An account whose 2FA an administrator turns on from the Users page.
const MANAGED = { email: 'managed@example.com', password: 'managed password 1' };

describe('two-factor authentication by email, through a real SMTP server', () => {
  let control: TestControl;
  let smtp: TestSmtpServer;
  let worker: EmailWorker;
  let admin: TestClient;
  let seen = 0;
  let managedId = '';

  /** The next sign-in code email to the user, after those already read. */
  async function nextCode(): Promise<string> {
    const index = seen;
    const mail: ReceivedMail = await smtp.waitForMessage(
      (m) => m.envelopeTo.includes(USER.email) && smtp.messages.indexOf(m) >= index,
    );
    seen = smtp.messages.indexOf(mail) + 1;
    return codeOf(mail.headers.get('subject'));
  }

  async function passwordStep(client = control.client()) {
    const result = await client.trpc.auth.login.mutate(USER);
    if (!result.mfaRequired) throw new Error('expected the code step');
    return { client, challengeId: result.challengeId, result };
  }

  beforeAll(async () => {
    [control, smtp] = await Promise.all([startTestControl({ follower: false }), startTestSmtp()]);
    worker = runEmailWorker(control);
    admin = await control.signedInClient();
    await createUser(control.deps.db, { ...USER, role: 'viewer' });
    managedId = (await createUser(control.deps.db, { ...MANAGED, role: 'viewer' })).id;
  });
  afterAll(async () => {
    await worker.stop();
    await Promise.all([control.close(), smtp.close()]);
  });
  beforeEach(async () => {
    await control.deps.db.deleteFrom('login_failures').execute();
  });

  it('cannot be chosen while SMTP is not configured', async () => {
    const user = control.client();
    signedInUser(await user.trpc.auth.login.mutate(USER));
    expect(await user.trpc.account.mfaStatus.query()).toMatchObject({ emailAvailable: false });
    await expectTrpcError(user.trpc.account.startEmailMfa.mutate(), {
      code: 'BAD_REQUEST',
      status: 400,
      message: SMTP_NEEDED_FOR_EMAIL_2FA,
    });
    // Nor can an administrator turn it on for someone else.
    await expectTrpcError(admin.trpc.users.enableEmailMfa.mutate({ id: managedId }), {
      code: 'BAD_REQUEST',
      status: 400,
      message: SMTP_NEEDED_FOR_EMAIL_2FA,
    });
  });

  it('turns on once the mailed code is confirmed', async () => {
    expect((await saveSmtp(admin, smtp)).status).toBe('configured');
    const user = control.client();
    signedInUser(await user.trpc.auth.login.mutate(USER));
    const setup = await user.trpc.account.startEmailMfa.mutate();
    expect(setup.sentTo).toBe('m•••@example.com');
    const code = await nextCode();
    const wrong = code === '111111' ? '222222' : '111111';
    await expectTrpcError(
      user.trpc.account.confirmEmailMfa.mutate({ challengeId: setup.challengeId, code: wrong }),
      { code: 'BAD_REQUEST', status: 400, message: 'Wrong code' },
    );
    const { codes } = await user.trpc.account.confirmEmailMfa.mutate({
      challengeId: setup.challengeId,
      code,
    });
    expect(codes).toHaveLength(10);
    expect(await user.trpc.auth.me.query()).toMatchObject({ mfaMethod: 'email' });
  });

  it('mails a code at sign-in that works once', async () => {
    const { client, challengeId, result } = await passwordStep();
    expect(result).toMatchObject({ method: 'email', sentTo: 'm•••@example.com' });
    expect(client.cookies.size).toBe(0);
    const code = await nextCode();
    const mail = smtp.messages[seen - 1];
    expect(mail?.body).toContain(`Your Ordo verification code is ${code}.`);
    const user = signedInUser(await client.trpc.auth.verifyMfa.mutate({ challengeId, code }));
    expect(user.email).toBe(USER.email);
    expect(client.cookies.get('ordo_session')).toBeDefined();

    // Used: the challenge is gone, and the code means nothing to a new sign-in either.
    await expectTrpcError(client.trpc.auth.verifyMfa.mutate({ challengeId, code }), {
      code: 'UNAUTHORIZED',
      status: 401,
      message: 'This sign-in has expired: enter your password again',
    });
    const again = await passwordStep();
    const fresh = await nextCode();
    if (fresh !== code) {
      await expectTrpcError(
        again.client.trpc.auth.verifyMfa.mutate({ challengeId: again.challengeId, code }),
        { code: 'UNAUTHORIZED', status: 401, message: 'Wrong code (4 tries left)' },
      );
    }
    signedInUser(
      await again.client.trpc.auth.verifyMfa.mutate({
        challengeId: again.challengeId,
        code: fresh,
      }),
    );
    // The sent email keeps no code: its body is wiped once delivered.
    const rows = await control.deps.db
      .selectFrom('email_outbox')
      .select(['status', 'body_ciphertext'])
      .where('kind', '=', 'mfa_code')
      .execute();
    expect(rows.every((r) => r.status === 'sent' && r.body_ciphertext === null)).toBe(true);
  });

  it('refuses a code older than 10 minutes, and sends a new one at most once a minute', async () => {
    const { client, challengeId } = await passwordStep();
    const code = await nextCode();
    await expectTrpcError(client.trpc.auth.resendMfaCode.mutate({ challengeId }), {
      code: 'TOO_MANY_REQUESTS',
      status: 429,
      message: /^A code was sent less than a minute ago\. Ask again in \d+ seconds?\.$/,
    });
    await control.deps.db
      .updateTable('mfa_challenges')
      .set({ code_sent_at: new Date(Date.now() - 10 * 60_000 - 1000) })
      .execute();
    await expectTrpcError(client.trpc.auth.verifyMfa.mutate({ challengeId, code }), {
      code: 'UNAUTHORIZED',
      status: 401,
      message: 'This code has expired: ask for a new one (4 tries left)',
    });
    await client.trpc.auth.resendMfaCode.mutate({ challengeId });
    const fresh = await nextCode();
    signedInUser(await client.trpc.auth.verifyMfa.mutate({ challengeId, code: fresh }));
  });

  it('ends the code step after 5 wrong codes', async () => {
    const { client, challengeId } = await passwordStep();
    const code = await nextCode();
    const wrong = code === '000000' ? '999999' : '000000';
    for (let i = 0; i < 4; i += 1) {
      await expectTrpcError(client.trpc.auth.verifyMfa.mutate({ challengeId, code: wrong }), {
        code: 'UNAUTHORIZED',
        status: 401,
        message: /^Wrong code \(\d tr(y|ies) left\)$/,
      });
    }
    await expectTrpcError(client.trpc.auth.verifyMfa.mutate({ challengeId, code: wrong }), {
      code: 'UNAUTHORIZED',
      status: 401,
      message: 'Wrong code. Too many wrong codes: enter your password again',
    });
    await expectTrpcError(client.trpc.auth.verifyMfa.mutate({ challengeId, code }), {
      code: 'UNAUTHORIZED',
      status: 401,
      message: 'This sign-in has expired: enter your password again',
    });
  });

  it('can be turned on by an administrator for another account: its next sign-in needs a mailed code', async () => {
    expect((await saveSmtp(admin, smtp)).status).toBe('configured');
    await admin.trpc.users.enableEmailMfa.mutate({ id: managedId });
    await expectTrpcError(admin.trpc.users.enableEmailMfa.mutate({ id: managedId }), {
      code: 'BAD_REQUEST',
      status: 400,
      message: `${MANAGED.email} already uses two-factor authentication`,
    });
    const client = control.client();
    const result = await client.trpc.auth.login.mutate(MANAGED);
    if (!result.mfaRequired) throw new Error('expected the code step');
    expect(result).toMatchObject({ method: 'email', sentTo: 'm•••@example.com' });
    const mail = await smtp.waitForMessage((m) => m.envelopeTo.includes(MANAGED.email));
    const user = signedInUser(
      await client.trpc.auth.verifyMfa.mutate({
        challengeId: result.challengeId,
        code: codeOf(mail.headers.get('subject')),
      }),
    );
    expect(user).toMatchObject({ email: MANAGED.email, mfaMethod: 'email' });
  });
});
