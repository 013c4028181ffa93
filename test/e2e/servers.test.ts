import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeInstanceRecord } from '../support/agent-process';
import type { AgentProcess } from '../support/agent-process';
import { saveScreenshot, themeOf, waitForText, waitForTheme } from '../support/page-helpers';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  startPanelSession,
  type PanelSession,
} from '../support/panel-session';

// One browser session walks through the panel as an admin would; each step builds on the last.
describe('panel: managed servers, end to end', () => {
  let session: PanelSession | undefined;
  let agent: AgentProcess | undefined;
  let page: Page;
  let browserErrors: string[] = [];

  beforeAll(async () => {
    session = await startPanelSession({ agent: 'plain', context: { colorScheme: 'light' } });
    ({ agent, page, browserErrors } = session);
    await writeInstanceRecord(session.agent.root, {
      name: 'demo',
      version: '17.0',
      edition: 'community',
      type: 'production',
      database: 'demo',
      httpPort: 8069,
    });
  });

  afterAll(() => session?.close());

  const mainNav = () => page.getByRole('navigation', { name: 'Main' });
  const serverRows = (name: string) => page.getByRole('rowgroup', { name, exact: true });
  const addDialog = () => page.getByRole('dialog', { name: 'Add a server' });

  async function fillServerForm(values: {
    name: string;
    agentUrl: string;
    domain?: string;
    token: string;
  }): Promise<void> {
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill(values.name);
    await dialog.getByLabel('Agent URL').fill(values.agentUrl);
    await dialog.getByLabel('Domain').fill(values.domain ?? '');
    await dialog.getByLabel('Token').fill(values.token);
  }

  it('sends an unauthenticated visitor to the login page, even on a deep link', async () => {
    await page.goto('/servers');
    await page.getByRole('heading', { name: 'Log in to your panel' }).waitFor();
    expect(await page.title()).toBe('Log in · Ordo');
  });

  it('checks the form before asking the server', async () => {
    await page.getByLabel('Email').fill('not-an-email');
    await page.getByLabel('Password').fill('whatever');
    await page.getByRole('button', { name: 'Log in' }).click();
    await waitForText(page.locator('.field-error'), 'Enter a valid email address');
  });

  it('shows the server refusal of a wrong password in the form', async () => {
    await page.getByLabel('Email').fill(ADMIN_EMAIL);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await waitForText(page.getByRole('alert'), 'Wrong email or password');
  });

  it('logs in with the right password and lands on the deep-linked page', async () => {
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Servers', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'No servers yet' }).waitFor();
    expect(await page.getByText(ADMIN_EMAIL).count()).toBe(1);
  });

  it('refuses invalid server settings with the protocol messages, in the dialog', async () => {
    await page.getByRole('button', { name: 'Add a server' }).first().click();
    await addDialog().waitFor();
    await fillServerForm({ name: '-bad', agentUrl: 'ftp://10.0.0.5', token: 'short' });
    await addDialog().getByRole('button', { name: 'Add server' }).click();
    const errors = addDialog().locator('.field-error');
    await waitForText(errors.nth(0), 'Server name may hold letters, digits');
    await waitForText(errors.nth(1), 'Agent URL must be an http:// or https:// address');
    await waitForText(errors.nth(2), 'The agent token is at least 16 characters');
  });

  it('adds a server pointing at the running agent', async () => {
    const { url, token } = requireAgent();
    await fillServerForm({ name: 'local', agentUrl: url, domain: 'odoo.example.com', token });
    await addDialog().getByRole('button', { name: 'Add server' }).click();
    await addDialog().waitFor({ state: 'detached' });
    const rows = serverRows('local');
    await waitForText(rows, url);
    await waitForText(rows, 'odoo.example.com');
    await waitForText(rows, 'Unknown');
    // Only a preview of the token is ever shown.
    expect(await rows.textContent()).not.toContain(token);
  });

  it('refuses a second server with the same name, under the name field', async () => {
    const { url, token } = requireAgent();
    await page.getByRole('button', { name: 'Add a server' }).click();
    await fillServerForm({ name: 'local', agentUrl: url, token });
    await addDialog().getByRole('button', { name: 'Add server' }).click();
    await waitForText(addDialog().locator('.field-error'), 'A server named "local" already exists');
    await addDialog().getByRole('button', { name: 'Cancel' }).click();
    await addDialog().waitFor({ state: 'detached' });
  });

  it('pings the agent: the row turns Active and says which version answered', async () => {
    const rows = serverRows('local');
    await rows.getByRole('button', { name: 'Ping' }).click();
    await waitForText(rows.locator('[aria-live]'), 'Active — v');
    await waitForText(rows.locator('.badge'), 'Active');
    expect(await rows.textContent()).toMatch(/Active — v\d+\.\d+\.\d+.*, \d+ ms/);
    // The runtime the agent reported (issue 9: shown on the Servers page).
    expect(await rows.locator('[title="Runtime"]').textContent()).toBe('native');
  });

  it('syncs the instances of the agent', async () => {
    const rows = serverRows('local');
    await rows.getByRole('button', { name: 'Sync' }).click();
    await waitForText(rows.locator('[aria-live]'), '1 instance synced');
  });

  it('lists the synced instance on the Instances page, under its server', async () => {
    await mainNav().getByRole('link', { name: 'Instances' }).click();
    const group = page.getByRole('region', { name: 'local' });
    await waitForText(group, 'demo');
    await waitForText(group, '17.0');
    await waitForText(group, 'Production');
    expect(new URL(page.url()).pathname).toBe('/instances');
  });

  it('shows a wrong token as Inactive with the plain reason', async () => {
    const { url } = requireAgent();
    await mainNav().getByRole('link', { name: 'Servers' }).click();
    await page.getByRole('button', { name: 'Add a server' }).click();
    await fillServerForm({ name: 'wrong-token', agentUrl: url, token: 'f'.repeat(64) });
    await addDialog().getByRole('button', { name: 'Add server' }).click();
    const rows = serverRows('wrong-token');
    await rows.getByRole('button', { name: 'Ping' }).click();
    await waitForText(rows.locator('[aria-live]'), 'The agent refused the token');
    await waitForText(rows.locator('.badge'), 'Inactive');
    expect(await rows.locator('.badge').getAttribute('title')).toContain('refused the token');
  });

  it('filters the table with the search box', async () => {
    const search = page.getByRole('searchbox', { name: 'Search servers' });
    await search.fill('wrong');
    await serverRows('local').waitFor({ state: 'detached' });
    expect(await serverRows('wrong-token').count()).toBe(1);
    await search.fill('no-such-server');
    await page.getByText('No server matches “no-such-server”.').waitFor();
    await search.fill('');
    await serverRows('local').waitFor();
  });

  it('edits a server: a blank token keeps the stored one, a new token replaces it', async () => {
    const { token } = requireAgent();
    const rows = serverRows('wrong-token');
    await rows.getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit server wrong-token' });
    expect(await dialog.getByLabel('Token').inputValue()).toBe('');
    await dialog.getByLabel('Name').fill('fixed-token');
    await dialog.getByLabel('Token').fill(token);
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await dialog.waitFor({ state: 'detached' });
    const fixed = serverRows('fixed-token');
    await fixed.getByRole('button', { name: 'Ping' }).click();
    await waitForText(fixed.locator('.badge'), 'Active');

    await fixed.getByRole('button', { name: 'Edit' }).click();
    const again = page.getByRole('dialog', { name: 'Edit server fixed-token' });
    await again.getByLabel('Domain').fill('erp.example.com');
    await again.getByRole('button', { name: 'Save changes' }).click();
    await again.waitFor({ state: 'detached' });
    await waitForText(fixed, 'erp.example.com');
    await fixed.getByRole('button', { name: 'Ping' }).click();
    await waitForText(fixed.locator('[aria-live]'), 'Active — v');
  });

  it('switches the theme, remembers it across reloads, and deep-links /servers', async () => {
    expect(await themeOf(page)).toBe('light');
    const theme = page.getByRole('group', { name: 'Theme' });
    await theme.getByRole('button', { name: 'Dark' }).click();
    await waitForTheme(page, 'dark');
    expect(await theme.getByRole('button', { name: 'Dark' }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    await page.reload();
    await serverRows('local').waitFor();
    expect(await themeOf(page)).toBe('dark');
    await theme.getByRole('button', { name: 'Auto' }).click();
    await waitForTheme(page, 'light');
    await theme.getByRole('button', { name: 'Light' }).click();
    await waitForTheme(page, 'light');
  });

  it('looks presentable (screenshot for review)', async () => {
    await serverRows('local').getByRole('button', { name: 'Ping' }).click();
    await waitForText(serverRows('local').locator('[aria-live]'), 'Active — v');
    const image = await saveScreenshot(page, 'servers', { fullPage: true });
    expect(image.byteLength).toBeGreaterThan(10_000);
  });

  it('deletes a server after a confirmation that names it', async () => {
    await serverRows('fixed-token').getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete server fixed-token?' });
    await waitForText(dialog, 'The agent is not uninstalled.');
    await dialog.getByRole('button', { name: 'Delete server' }).click();
    await serverRows('fixed-token').waitFor({ state: 'detached' });
    expect(await serverRows('local').count()).toBe(1);
  });

  it('logs out back to the login page, and the session is gone on the server', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in to your panel' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Log in to your panel' }).waitFor();
  });

  it('ran without a console error or an uncaught exception', () => {
    expect(browserErrors).toEqual([]);
  });

  function requireAgent(): AgentProcess {
    if (!agent) throw new Error('the agent did not start');
    return agent;
  }
});
