import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestControl, type TestControl } from './helpers/test-control';

describe('CSRF: signed-in mutations must come from the panel', () => {
  let control: TestControl;
  let cookie: string;

  beforeAll(async () => {
    control = await startTestControl({ follower: false });
    const client = await control.signedInClient();
    cookie = `ordo_session=${client.cookies.get('ordo_session') ?? ''}`;
  });
  afterAll(async () => {
    await control.close();
  });

  const logout = (headers: Record<string, string>) =>
    fetch(`${control.url}/trpc/auth.logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: '{}',
    });

  it('refuses a cookie-bearing mutation that does not say where it comes from', async () => {
    const response = await logout({ cookie });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({
      error: {
        code: 'forbidden',
        message:
          'Request refused: a signed-in request must say where it comes from (Origin header)',
      },
    });
  });

  it('refuses what the browser marks as cross-site, even without Origin', async () => {
    const response = await logout({ cookie, 'sec-fetch-site': 'cross-site' });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({
      error: { message: 'Request refused: it came from another site, not from the Ordo panel' },
    });
    const sameSite = await logout({ cookie, 'sec-fetch-site': 'same-site', origin: control.url });
    expect(sameSite.status).toBe(403);
  });

  it('accepts what the browser marks as same-origin', async () => {
    const response = await logout({ cookie, 'sec-fetch-site': 'same-origin' });
    expect(response.status).toBe(200);
  });

  it('lets scripts without a session cookie through (sign-in from curl)', async () => {
    const response = await fetch(`${control.url}/trpc/auth.me`);
    expect(response.status).toBe(200);
    const login = await fetch(`${control.url}/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@example.com', password: 'correct horse battery' }),
    });
    expect(login.status).toBe(200);
  });
});
