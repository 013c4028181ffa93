import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser';
import { startControlProcess } from '../support/control-process';
import type { ControlProcess } from '../support/control-process';
import { waitForText } from '../support/page-helpers';
import { addServerThroughApi } from '../support/panel-api';
import { REPO_ROOT } from '../support/repo-paths';
import { totpCode } from '../support/totp';

const ADMIN = { email: 'admin@ordo.test', password: 'correct horse battery' };
const DEV = { email: 'dev@ordo.test', password: 'developer pass 2024' };
const VIEWER = { email: 'viewer@ordo.test', password: 'viewer pass 2024!' };
const SCREENSHOT = join(REPO_ROOT, '.tmp', 'accounts.png');

// One browser walks through accounts and 2FA as people would; each step builds on the last.
describe('panel: accounts, two-factor sign-in and roles, end to end', () => {
  let control: ControlProcess | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  let secret = '';
  const browserErrors: string[] = [];

  beforeAll(async () => {
    [control, browser] = await Promise.all([
      startControlProcess({ adminEmail: ADMIN.email, adminPassword: ADMIN.password }),
      launchBrowser(),
    ]);
    context = await browser.newContext({
      baseURL: control.url,
      viewport: { width: 1440, height: 900 },
    });
    page = await context.newPage();
    page.on('pageerror', (error) => browserErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
        browserErrors.push(message.text());
      }
    });
  });

  afterAll(async () => {
    await browser?.close();
    await control?.stop();
  });

  const nav = () => page.getByRole('navigation', { name: 'Main' });

  async function logIn(user: { email: string; password: string }): Promise<void> {
    await page.getByRole('heading', { name: 'Log in to your panel' }).waitFor();
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Log in' }).click();
  }

  async function logOut(): Promise<void> {
    await page.getByRole('button', { name: 'Log out', exact: true }).click();
    await page.getByRole('heading', { name: 'Log in to your panel' }).waitFor();
  }

  async function createUser(user: { email: string; password: string }, role: string) {
    await page.getByRole('button', { name: 'Create user' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Create a user' });
    await dialog.getByLabel('Username (email)').fill(user.email);
    await dialog.getByLabel('Password').fill(user.password);
    await dialog.getByLabel('Role').selectOption({ label: role });
    await dialog.getByRole('button', { name: 'Create user' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('row', { name: user.email }).waitFor();
  }

  it('lets the admin create accounts from the Users page', async () => {
    await page.goto('/users');
    await logIn(ADMIN);
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    await addServerThroughApi(page, {
      name: 'edge',
      agentUrl: 'http://127.0.0.1:9',
      token: 'an-agent-token-for-the-test',
    });

    // A well-known password is refused in the dialog, with the server's reason.
    await page.getByRole('button', { name: 'Create user' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Create a user' });
    await dialog.getByLabel('Username (email)').fill('weak@ordo.test');
    await dialog.getByLabel('Password').fill('1234567890');
    await dialog.getByRole('button', { name: 'Create user' }).click();
    await waitForText(dialog.getByRole('alert'), 'This password is too common');
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    await createUser(DEV, 'Developer');
    await createUser(VIEWER, 'Viewer');
    const row = page.getByRole('row', { name: DEV.email });
    await waitForText(row, 'Developer');
    await waitForText(row, 'Off');
    await logOut();
  });

  it('turns on 2FA by reading the secret next to the QR code', async () => {
    await logIn(DEV);
    await nav().waitFor();
    expect(await nav().getByRole('link', { name: 'Users' }).count()).toBe(0);
    await page.getByRole('link', { name: new RegExp(DEV.email) }).click();
    await page.getByRole('heading', { name: 'Your account', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Use an authenticator app' }).click();
    await page.getByRole('img', { name: 'QR code to scan with your authenticator app' }).waitFor();
    secret = (await page.getByLabel('Secret key').textContent())?.trim() ?? '';
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await page.getByLabel('Code from the app').fill(totpCode(secret));
    await page.getByRole('button', { name: 'Turn on' }).click();
    const codes = page.getByRole('list', { name: 'Recovery codes' });
    await codes.waitFor();
    expect(await codes.getByRole('listitem').count()).toBe(10);
    await page.getByRole('button', { name: 'I have saved them' }).click();
    await waitForText(page.locator('#mfa-title').locator('..').locator('..'), 'On: app');
    await logOut();
  });

  it('asks for the code after the password, and signs in with it', async () => {
    await logIn(DEV);
    await page.getByRole('heading', { name: 'Two-factor authentication' }).waitFor();
    await page.getByLabel('Verification code').fill('000000');
    await page.getByRole('button', { name: 'Verify' }).click();
    await waitForText(page.getByRole('alert'), 'Wrong code (4 tries left)');
    // The code confirmed a moment ago is spent; the app's next one is accepted.
    await page.getByLabel('Verification code').fill(totpCode(secret, new Date(), 1));
    await page.getByRole('button', { name: 'Verify' }).click();
    await nav().waitFor();
    await waitForText(page.locator('.sidebar'), DEV.email);
    await logOut();
  });

  it('shows a Viewer no action buttons, and the server refuses its mutations', async () => {
    await page.goto('/servers');
    await logIn(VIEWER);
    await page.getByRole('heading', { name: 'Servers', level: 1 }).waitFor();
    const row = page.getByRole('rowgroup', { name: 'edge', exact: true });
    await row.waitFor();
    expect(await page.getByRole('button', { name: 'Add a server' }).count()).toBe(0);
    for (const name of ['Ping', 'Sync', 'Edit', 'Delete']) {
      expect(await row.getByRole('button', { name }).count(), name).toBe(0);
    }
    for (const name of ['Users', 'Settings', 'Audit log']) {
      expect(await nav().getByRole('link', { name }).count(), name).toBe(0);
    }

    const refused = await page.evaluate(async () => {
      const response = await fetch('/trpc/servers.create', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name: 'sneaky',
          agentUrl: 'http://127.0.0.1:9',
          token: 'x'.repeat(20),
        }),
      });
      return { status: response.status, body: (await response.json()) as unknown };
    });
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).toContain('Your role (Viewer) cannot manage servers');
    expect(JSON.stringify(refused.body)).toContain('FORBIDDEN');

    await page.goto('/users');
    await page.getByRole('heading', { name: 'Not available to your account' }).waitFor();
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(browserErrors).toEqual([]);
  });
});
