import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectTrpcError } from './helpers/expect-trpc-error';
import { createUser, signedInUser } from './helpers/fixtures';
import { ADMIN, startTestControl, type TestControl } from './helpers/test-control';
import { hotp, totp, totpStep } from './helpers/totp-reference';

const USER = { email: 'totp@example.com', password: 'totp user password 1' };
// A fixed clock a few seconds into a 30-second step: codes are computed for known steps.
const START = new Date('2031-03-04T05:06:03Z');

describe('reference TOTP used by these tests', () => {
  it('matches the RFC 6238 / RFC 4226 test vectors', () => {
    const key = Buffer.from('12345678901234567890', 'ascii');
    // RFC 4226 appendix D, HOTP values for counters 0 and 1.
    expect(hotp(key, 0)).toBe('755224');
    expect(hotp(key, 1)).toBe('287082');
    // RFC 6238 appendix B, T = 59 s (step 1): 94287082, whose last 6 digits are the 6-digit code.
    expect(totpStep(new Date(59_000))).toBe(1);
  });
});

describe('two-factor authentication with an authenticator app', () => {
  let control: TestControl;
  let clock = START;
  const tick = (steps: number) => {
    clock = new Date(clock.getTime() + steps * 30_000);
  };

  beforeAll(async () => {
    control = await startTestControl({ now: () => clock, follower: false });
    await createUser(control.deps.db, { ...USER, role: 'developer' });
  });
  afterAll(async () => {
    await control.close();
  });
  beforeEach(async () => {
    await control.deps.db.deleteFrom('login_failures').execute();
  });

  async function signIn() {
    const client = control.client();
    const result = await client.trpc.auth.login.mutate(USER);
    return { client, result };
  }

  let secret = '';
  let recoveryCodes: string[] = [];

  it('shows a QR code and the secret, and changes nothing before a code is confirmed', async () => {
    const { client, result } = await signIn();
    signedInUser(result);
    const setup = await client.trpc.account.startTotp.mutate();
    secret = setup.secret;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(setup.otpauthUrl);
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe(`/Ordo:${USER.email}`);
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('issuer')).toBe('Ordo');
    expect(uri.searchParams.get('algorithm')).toBe('SHA1');
    expect(uri.searchParams.get('digits')).toBe('6');
    expect(uri.searchParams.get('period')).toBe('30');
    expect(setup.qrDataUrl).toMatch(/^data:image\/svg\+xml;base64,/);
    const svg = Buffer.from(setup.qrDataUrl.split(',')[1] ?? '', 'base64').toString('utf8');
    expect(svg).toContain('<svg');

    // Not confirmed yet: the password alone still signs in.
    expect((await signIn()).result.mfaRequired).toBe(false);
    expect(await client.trpc.account.mfaStatus.query()).toMatchObject({ method: null });
  });

  it('refuses a wrong confirmation code, then turns on with the right one', async () => {
    const { client } = await signIn();
    await expectTrpcError(client.trpc.account.confirmTotp.mutate({ code: '12345' }), {
      code: 'BAD_REQUEST',
      status: 400,
      message: 'Enter the 6-digit code',
    });
    const wrong = totp(secret, clock, 5);
    await expectTrpcError(client.trpc.account.confirmTotp.mutate({ code: wrong }), {
      code: 'BAD_REQUEST',
      status: 400,
      message: 'Wrong code: enter the current code from your app (check the time on your phone)',
    });
    const { codes } = await client.trpc.account.confirmTotp.mutate({ code: totp(secret, clock) });
    recoveryCodes = codes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    expect(await client.trpc.account.mfaStatus.query()).toEqual({
      method: 'totp',
      recoveryCodesLeft: 10,
      emailAvailable: false,
    });
  });

  it('keeps the secret encrypted and the recovery codes hashed', async () => {
    const row = await control.deps.db
      .selectFrom('users')
      .select(['totp_secret_ciphertext', 'mfa_method'])
      .where('email', '=', USER.email)
      .executeTakeFirstOrThrow();
    expect(row.mfa_method).toBe('totp');
    expect(row.totp_secret_ciphertext).toMatch(/^v1:/);
    expect(row.totp_secret_ciphertext).not.toContain(secret);
    const stored = await control.deps.db
      .selectFrom('mfa_recovery_codes')
      .select('code_hash')
      .execute();
    const plain = recoveryCodes[0] ?? '';
    expect(stored.map((r) => r.code_hash)).toContain(
      createHash('sha256').update(plain.replace('-', '')).digest('hex'),
    );
    expect(stored.map((r) => r.code_hash)).not.toContain(plain);
  });

  it('asks for the code after the password, and sets no cookie before it', async () => {
    const { client, result } = await signIn();
    expect(result).toMatchObject({ mfaRequired: true, method: 'totp', sentTo: null });
    expect(client.cookies.size).toBe(0);
    expect(await client.trpc.auth.me.query()).toBeNull();
  });

  it('refuses a wrong code, and a code whose time step was already used', async () => {
    const { client, result } = await signIn();
    if (!result.mfaRequired) throw new Error('expected the code step');
    const { challengeId } = result;
    await expectTrpcError(
      client.trpc.auth.verifyMfa.mutate({ challengeId, code: totp(secret, clock, 7) }),
      { code: 'UNAUTHORIZED', status: 401, message: 'Wrong code (4 tries left)' },
    );
    // The confirmation used this step's code: the same code cannot be replayed.
    await expectTrpcError(
      client.trpc.auth.verifyMfa.mutate({ challengeId, code: totp(secret, clock) }),
      {
        code: 'UNAUTHORIZED',
        status: 401,
        message: 'This code was already used: wait for the next one in your app (3 tries left)',
      },
    );
    expect(client.cookies.size).toBe(0);
  });

  it('signs in with the next code, once', async () => {
    tick(1);
    const code = totp(secret, clock);
    const { client, result } = await signIn();
    if (!result.mfaRequired) throw new Error('expected the code step');
    const user = signedInUser(
      await client.trpc.auth.verifyMfa.mutate({ challengeId: result.challengeId, code }),
    );
    expect(user).toMatchObject({ email: USER.email, mfaMethod: 'totp', role: 'developer' });
    expect(client.cookies.get('ordo_session')).toBeDefined();
    expect(await client.trpc.auth.me.query()).toMatchObject({ email: USER.email });

    // Same code, new sign-in: refused as a replay.
    const again = await signIn();
    if (!again.result.mfaRequired) throw new Error('expected the code step');
    await expectTrpcError(
      again.client.trpc.auth.verifyMfa.mutate({ challengeId: again.result.challengeId, code }),
      { code: 'UNAUTHORIZED', status: 401, message: /^This code was already used/ },
    );
    // The challenge is spent by a success: it cannot sign in a second browser.
    await expectTrpcError(
      control.client().trpc.auth.verifyMfa.mutate({ challengeId: result.challengeId, code }),
      {
        code: 'UNAUTHORIZED',
        status: 401,
        message: 'This sign-in has expired: enter your password again',
      },
    );
  });

  it('refuses an expired code and accepts one step of clock drift', async () => {
    const old = totp(secret, clock); // step S+1, used above
    tick(3); // now S+4
    const { client, result } = await signIn();
    if (!result.mfaRequired) throw new Error('expected the code step');
    await expectTrpcError(
      client.trpc.auth.verifyMfa.mutate({
        challengeId: result.challengeId,
        code: totp(secret, clock, -2),
      }),
      { code: 'UNAUTHORIZED', status: 401, message: 'Wrong code (4 tries left)' },
    );
    expect(old).not.toBe(totp(secret, clock));
    // The previous step (phone 30 s behind) is still accepted.
    signedInUser(
      await client.trpc.auth.verifyMfa.mutate({
        challengeId: result.challengeId,
        code: totp(secret, clock, -1),
      }),
    );
  });

  it('accepts a recovery code once and not twice', async () => {
    const code = recoveryCodes[3] ?? '';
    const first = await signIn();
    if (!first.result.mfaRequired) throw new Error('expected the code step');
    signedInUser(
      await first.client.trpc.auth.verifyMfa.mutate({
        challengeId: first.result.challengeId,
        code: code.toUpperCase(),
      }),
    );
    expect(await first.client.trpc.account.mfaStatus.query()).toMatchObject({
      recoveryCodesLeft: 9,
    });
    const second = await signIn();
    if (!second.result.mfaRequired) throw new Error('expected the code step');
    await expectTrpcError(
      second.client.trpc.auth.verifyMfa.mutate({ challengeId: second.result.challengeId, code }),
      { code: 'UNAUTHORIZED', status: 401, message: 'Wrong code (4 tries left)' },
    );
  });

  it('ends the code step after 5 wrong codes, and counts them against the account', async () => {
    tick(2);
    const { client, result } = await signIn();
    if (!result.mfaRequired) throw new Error('expected the code step');
    const { challengeId } = result;
    for (let left = 4; left >= 1; left -= 1) {
      await expectTrpcError(client.trpc.auth.verifyMfa.mutate({ challengeId, code: '000000' }), {
        code: 'UNAUTHORIZED',
        status: 401,
        message: `Wrong code (${left} ${left === 1 ? 'try' : 'tries'} left)`,
      });
    }
    await expectTrpcError(client.trpc.auth.verifyMfa.mutate({ challengeId, code: '000000' }), {
      code: 'UNAUTHORIZED',
      status: 401,
      message: 'Wrong code. Too many wrong codes: enter your password again',
    });
    await expectTrpcError(
      client.trpc.auth.verifyMfa.mutate({ challengeId, code: totp(secret, clock) }),
      {
        code: 'UNAUTHORIZED',
        status: 401,
        message: 'This sign-in has expired: enter your password again',
      },
    );
    // Five wrong codes are five failed sign-ins: even the right password waits now.
    await expectTrpcError(control.client().trpc.auth.login.mutate(USER), {
      code: 'TOO_MANY_REQUESTS',
      status: 429,
      message: 'Too many failed sign-ins. Try again in 15 minutes.',
    });
  });

  it('lets an admin reset the 2FA of someone who lost their phone', async () => {
    const admin = control.client();
    signedInUser(await admin.trpc.auth.login.mutate(ADMIN));
    const users = await admin.trpc.users.list.query({ search: 'totp@' });
    const target = users[0];
    expect(target).toMatchObject({ email: USER.email, mfaMethod: 'totp' });
    await admin.trpc.users.resetMfa.mutate({ id: target?.id ?? '' });
    const { result } = await signIn();
    expect(signedInUser(result).mfaMethod).toBeNull();
    const left = await control.deps.db.selectFrom('mfa_recovery_codes').selectAll().execute();
    expect(left).toHaveLength(0);
    await expectTrpcError(admin.trpc.users.resetMfa.mutate({ id: target?.id ?? '' }), {
      code: 'BAD_REQUEST',
      status: 400,
      message: `${USER.email} has no two-factor authentication to reset`,
    });
  });

  it('lets the owner turn it off with their password only', async () => {
    const { client } = await signIn();
    await client.trpc.account.startTotp.mutate().then(async (setup) => {
      await client.trpc.account.confirmTotp.mutate({ code: totp(setup.secret, clock) });
    });
    await expectTrpcError(client.trpc.account.disableMfa.mutate({ password: 'not it' }), {
      code: 'BAD_REQUEST',
      status: 400,
      message: 'Wrong password',
    });
    await client.trpc.account.disableMfa.mutate({ password: USER.password });
    expect((await signIn()).result.mfaRequired).toBe(false);
  });
});
