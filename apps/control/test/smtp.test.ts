import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMAIL_POLICY, sendDueEmails, SMTP_NOT_CONFIGURED } from '../src/features/email';
import { enqueueEmail } from '../src/features/email';
import { FROM, saveSmtp } from './helpers/email';
import { expectTrpcError } from './helpers/expect-trpc-error';
import { closedPort } from './helpers/foreign-servers';
import { startTestSmtp, type TestSmtpServer } from './helpers/smtp-server';
import { startTestControl, type TestClient, type TestControl } from './helpers/test-control';

const AUTH = { user: 'mailer@example.com', pass: 'smtp secret pass' };

describe('SMTP settings and the email outbox, against a real SMTP server on loopback', () => {
  let control: TestControl;
  let smtp: TestSmtpServer;
  let admin: TestClient;

  beforeAll(async () => {
    [control, smtp] = await Promise.all([
      startTestControl({ follower: false, panelUrl: () => 'https://ordo.example.com' }),
      startTestSmtp({ auth: AUTH }),
    ]);
    admin = await control.signedInClient();
  });
  afterAll(async () => {
    await Promise.all([control.close(), smtp.close()]);
  });

  it('starts as not configured', async () => {
    expect(await admin.trpc.settings.smtp.query()).toMatchObject({
      status: 'not_configured',
      passwordSet: false,
      checkedAt: null,
    });
  });

  it('saves, verifies the connection and never sends the password back', async () => {
    const view = await saveSmtp(admin, smtp, AUTH);
    expect(view).toMatchObject({
      host: '127.0.0.1',
      port: smtp.port,
      security: 'none',
      user: AUTH.user,
      passwordSet: true,
      fromAddress: FROM,
      status: 'configured',
      statusReason: null,
    });
    expect(JSON.stringify(view)).not.toContain(AUTH.pass);
    expect(JSON.stringify(await admin.trpc.settings.smtp.query())).not.toContain(AUTH.pass);
    const stored = await control.deps.db
      .selectFrom('settings')
      .select('value')
      .where('key', '=', 'smtp')
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(stored.value)).not.toContain(AUTH.pass);
    expect(JSON.stringify(stored.value)).toMatch(/"passwordCiphertext":"v1:/);
  });

  it('keeps the stored password when the form leaves it blank', async () => {
    const view = await admin.trpc.settings.saveSmtp.mutate({
      host: smtp.host,
      port: smtp.port,
      security: 'none',
      user: AUTH.user,
      password: '',
      fromAddress: FROM,
    });
    expect(view.status).toBe('configured');
  });

  it('says why the server refused: wrong password', async () => {
    const view = await saveSmtp(admin, smtp, { user: AUTH.user, pass: 'wrong pass' });
    expect(view.status).toBe('not_configured');
    expect(view.statusReason).toBe(
      'The SMTP server refused the user or password: 535 5.7.8 Authentication credentials invalid',
    );
  });

  it('says why it cannot connect: wrong port', async () => {
    const port = await closedPort();
    const view = await saveSmtp(admin, { host: '127.0.0.1', port }, AUTH);
    expect(view).toMatchObject({
      status: 'not_configured',
      statusReason: `Connection refused by 127.0.0.1:${port}: check the port`,
    });
  });

  it('validates the form with readable messages', async () => {
    await expectTrpcError(
      admin.trpc.settings.saveSmtp.mutate({
        host: 'smtp example',
        port: 70000,
        security: 'none',
        fromAddress: 'nope',
      }),
      {
        code: 'BAD_REQUEST',
        status: 400,
        message:
          'Enter a host name such as smtp.example.com; The port is between 1 and 65535; Enter a valid email address',
      },
    );
  });

  it('sends a test email with the right headers', async () => {
    await saveSmtp(admin, smtp, AUTH);
    const { emailId } = await admin.trpc.settings.testSmtp.mutate({ to: 'Alice@Example.com' });
    expect(await sendDueEmails(control.deps)).toBe(1);
    const mail = await smtp.waitForMessage((m) => m.envelopeTo.includes('alice@example.com'));
    expect(mail.envelopeFrom).toBe(FROM);
    expect(mail.headers.get('from')).toBe(`Ordo <${FROM}>`);
    expect(mail.headers.get('to')).toBe('alice@example.com');
    expect(mail.headers.get('subject')).toBe('Ordo test email');
    expect(Date.parse(mail.headers.get('date') ?? '')).toBeGreaterThan(Date.now() - 60_000);
    expect(mail.headers.get('message-id')).toMatch(/^<[0-9a-f-]{36}@example\.com>$/);
    expect(mail.body).toContain('https://ordo.example.com');

    const history = await admin.trpc.users.emailHistory.query({ kind: 'test' });
    expect(history[0]).toMatchObject({
      id: emailId,
      to: 'alice@example.com',
      subject: 'Ordo test email',
      kind: 'test',
      status: 'sent',
      attempts: 1,
      error: null,
      nextAttemptAt: null,
    });
  });

  it('records a down server as a failed try, retries later, and gives up after 5 tries', async () => {
    const down = await startTestSmtp();
    await saveSmtp(admin, down);
    const port = down.port;
    await down.close();
    const { emailId } = await admin.trpc.settings.testSmtp.mutate({ to: 'bob@example.com' });
    await sendDueEmails(control.deps);

    const [first] = await admin.trpc.users.emailHistory.query({ search: 'bob@' });
    expect(first).toMatchObject({
      id: emailId,
      status: 'queued',
      attempts: 1,
      error: `Connection refused by 127.0.0.1:${port}: check the port`,
    });
    const retryIn = Date.parse(first?.nextAttemptAt ?? '') - Date.now();
    expect(retryIn).toBeGreaterThan(30_000);
    expect(retryIn).toBeLessThanOrEqual(EMAIL_POLICY.retryDelaysMs[0]);
    // Not due yet: nothing is tried.
    expect(await sendDueEmails(control.deps)).toBe(0);

    for (let attempt = 2; attempt <= EMAIL_POLICY.maxAttempts; attempt += 1) {
      await control.deps.db
        .updateTable('email_outbox')
        .set({ next_attempt_at: new Date(Date.now() - 1000) })
        .where('id', '=', emailId)
        .execute();
      expect(await sendDueEmails(control.deps)).toBe(1);
      const [entry] = await admin.trpc.users.emailHistory.query({ search: 'bob@' });
      expect(entry?.attempts).toBe(attempt);
      expect(entry?.status).toBe(attempt < EMAIL_POLICY.maxAttempts ? 'queued' : 'failed');
    }
    const failed = await admin.trpc.users.emailHistory.query({ status: 'failed' });
    expect(failed.map((e) => e.id)).toContain(emailId);
  });

  it('fails with a clear reason when SMTP was never configured', async () => {
    await control.deps.db.deleteFrom('settings').execute();
    const id = await enqueueEmail(control.deps, {
      kind: 'notification',
      to: 'carol@example.com',
      subject: 'Hello',
      text: 'Body',
    });
    await sendDueEmails(control.deps);
    const row = await control.deps.db
      .selectFrom('email_outbox')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'queued', attempts: 1, last_error: SMTP_NOT_CONFIGURED });
    await expectTrpcError(admin.trpc.settings.testSmtp.mutate({ to: 'carol@example.com' }), {
      code: 'BAD_REQUEST',
      status: 400,
      message: 'Save the SMTP settings before sending a test email',
    });
  });

  it('mails the access URL to new accounts, and keeps bodies encrypted', async () => {
    await saveSmtp(admin, smtp, AUTH);
    const { welcomeEmail } = await admin.trpc.users.create.mutate({
      email: 'newcomer@example.com',
      password: 'newcomer password 1',
    });
    expect(welcomeEmail).toBe('queued');
    const row = await control.deps.db
      .selectFrom('email_outbox')
      .selectAll()
      .where('to_address', '=', 'newcomer@example.com')
      .executeTakeFirstOrThrow();
    expect(row.body_ciphertext).toMatch(/^v1:/);
    await sendDueEmails(control.deps);
    const mail = await smtp.waitForMessage((m) => m.envelopeTo.includes('newcomer@example.com'));
    expect(mail.headers.get('subject')).toBe('Your Ordo account');
    expect(mail.body).toContain('Sign in at: https://ordo.example.com');
    expect(mail.body).toContain('newcomer@example.com');
  });
});
