import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentProcess } from '../support/agent-process';
import { launchBrowser } from '../support/browser';
import { startOdooAgentProcess } from '../support/odoo-agent-process';
import { startControlProcess } from '../support/control-process';
import type { ControlProcess } from '../support/control-process';
import { waitForText } from '../support/page-helpers';
import {
  addServerThroughApi,
  createInstanceThroughApi,
  installVersionThroughApi,
  instanceActionThroughApi,
  waitForInstanceStatus,
} from '../support/panel-api';
import { REPO_ROOT } from '../support/repo-paths';

const ADMIN_EMAIL = 'admin@ordo.test';
const ADMIN_PASSWORD = 'correct horse battery';
const SCREENSHOTS = join(REPO_ROOT, '.tmp');
// A version install and an instance creation run real git, python and psql: give them time.
const JOB_MS = 180_000;
const LIVE_MS = 20_000;

// A real agent with one running stand-in Odoo instance, a control plane polling it every second:
// the Dashboard counts, charts and server health follow the fleet without a reload.
describe('panel: live dashboard, end to end', () => {
  let agent: AgentProcess | undefined;
  let control: ControlProcess | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let serverId = '';
  const browserErrors: string[] = [];

  beforeAll(async () => {
    [agent, control, browser] = await Promise.all([
      startOdooAgentProcess({ env: { ORDO_AGENT_METRICS_INTERVAL_MS: '1000' } }),
      startControlProcess({
        adminEmail: ADMIN_EMAIL,
        adminPassword: ADMIN_PASSWORD,
        env: { ORDO_METRICS_INTERVAL_MS: '1000' },
      }),
      launchBrowser(),
    ]);
    const context = await browser.newContext({
      baseURL: control.url,
      viewport: { width: 1440, height: 1000 },
      colorScheme: 'light',
    });
    page = await context.newPage();
    page.on('pageerror', (error) => browserErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
        browserErrors.push(message.text());
      }
    });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([control?.stop(), agent?.stop()]);
  });

  const stat = (label: string) => page.getByLabel(label, { exact: true }).locator('.stat-value');

  /** Charts draw on a canvas: what they show is read from their accessible summary. */
  async function waitForChart(name: string, text: string, timeoutMs = LIVE_MS): Promise<void> {
    const chart = page.getByRole('img', { name: new RegExp(`^${name}:`) });
    await expect
      .poll(async () => (await chart.getAttribute('aria-label')) ?? '', { timeout: timeoutMs })
      .toContain(text);
  }

  async function screenshot(name: string): Promise<void> {
    await mkdir(SCREENSHOTS, { recursive: true });
    const image = await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
    expect(image.byteLength).toBeGreaterThan(10_000);
  }

  it(
    'signs in and sets up one running instance through the API',
    async () => {
      if (!agent) throw new Error('The agent did not start');
      await page.goto('/');
      await page.getByLabel('Email').fill(ADMIN_EMAIL);
      await page.getByLabel('Password').fill(ADMIN_PASSWORD);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
      // Installing and creating through the UI is covered by instances.test.ts.
      const server = await addServerThroughApi(page, {
        name: 'local',
        agentUrl: agent.url,
        token: agent.token,
      });
      serverId = server.id;
      await installVersionThroughApi(page, serverId, '17.0', JOB_MS);
      await createInstanceThroughApi(page, { serverId, name: 'shop', version: '17.0' }, JOB_MS);
    },
    2 * JOB_MS,
  );

  it('shows one running instance, its version and server, and live server health', async () => {
    await page.reload();
    await waitForText(stat('Running'), '1', LIVE_MS);
    await waitForText(stat('Stopped'), '0');
    await waitForText(page.getByLabel('Usage', { exact: true }), '1 instance on 1 server');
    await waitForChart('Instances by status', 'Running: 1, Stopped: 0');
    await waitForChart('Instances by version', 'Odoo 17.0: 1');
    await waitForChart('Instances by server', 'local: 1');
    const list = page.getByRole('table', { name: 'Instances and their status' });
    await waitForText(list, 'shop');
    await waitForText(list, 'Running');
    // The server tile fills from the metrics subscription.
    const health = page.getByRole('group', { name: 'Health of local' });
    await waitForText(health, 'cores', LIVE_MS);
    await waitForText(health, ' ago');
    await screenshot('dashboard');
  });

  it('shows the running instance as up in its card metrics strip', async () => {
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Instances' }).click();
    const strip = page.getByRole('region', { name: 'Real-time metrics of shop' });
    await waitForText(strip, 'Up', LIVE_MS);
    await waitForText(strip, 'DB conn. active');
    await screenshot('dashboard-instance-running');
    await nav.getByRole('link', { name: 'Dashboard' }).click();
    await waitForText(stat('Running'), '1');
  });

  it('updates the counts and the status chart without a reload when the instance stops', async () => {
    await instanceActionThroughApi(page, { serverId, name: 'shop' }, 'stop');
    await waitForInstanceStatus(page, { serverId, name: 'shop' }, 'stopped', LIVE_MS);
    await waitForText(stat('Stopped'), '1', LIVE_MS);
    await waitForText(stat('Running'), '0');
    await waitForChart('Instances by status', 'Running: 0, Stopped: 1');
    await screenshot('dashboard-stopped');
    // The charts take their colours from the theme's CSS variables.
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.locator('html[data-theme="dark"]').waitFor({ state: 'attached' });
    await screenshot('dashboard-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('shows the metrics strip on the instance card and health rows on the Servers page', async () => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Instances' })
      .click();
    const strip = page.getByRole('region', { name: 'Real-time metrics of shop' });
    await waitForText(strip, 'errors (6 h)', LIVE_MS);
    await waitForText(strip, 'Down', LIVE_MS);
    await expect
      .poll(() => strip.getByRole('img', { name: /^DB connections of shop:/ }).count())
      .toBe(1);
    await screenshot('dashboard-instance-strip');
    // History: the stored samples as line charts, by range.
    await strip.getByRole('button', { name: 'History' }).click();
    const instanceHistory = page.getByRole('dialog', { name: 'History of shop' });
    await waitForChart('Memory', 'Memory: last');
    await waitForChart('HTTP availability', 'Up: last 0 %');
    await instanceHistory.getByText('24 h', { exact: true }).click();
    await waitForChart('Database connections', 'Active: last');
    await screenshot('dashboard-instance-history');
    await instanceHistory.getByRole('button', { name: 'Close' }).click();
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Servers' })
      .click();
    const health = page.getByRole('group', { name: 'Health of local' });
    await waitForText(health, 'Load 1/5/15', LIVE_MS);
    await screenshot('dashboard-servers');
    await health.getByRole('button', { name: 'History' }).click();
    await waitForChart('CPU', 'CPU: last');
    await waitForChart('Memory and disk used', 'RAM: last');
    await screenshot('dashboard-server-history');
    await page
      .getByRole('dialog', { name: 'History of local' })
      .getByRole('button', { name: 'Close' })
      .click();
    expect(browserErrors).toEqual([]);
  });

  it('sets an instance quota in Settings, and the Dashboard shows how much of it is used', async () => {
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Settings' }).click();
    const quota = page.getByRole('region', { name: 'Instance quota' });
    await quota.getByLabel('Maximum instances').fill('0');
    await quota.getByRole('button', { name: 'Save quota' }).click();
    await waitForText(quota, 'The quota is at least 1 instance');
    await quota.getByLabel('Maximum instances').fill('4');
    await quota.getByRole('button', { name: 'Save quota' }).click();
    await waitForText(page.locator('body'), 'Instance quota saved: 4');
    await nav.getByRole('link', { name: 'Dashboard' }).click();
    await waitForText(
      page.getByLabel('Usage', { exact: true }),
      '1 of 4 instances (25 %) on 1 server',
    );
    expect(await page.getByLabel('Usage', { exact: true }).textContent()).toContain('Quota used');
    expect(browserErrors).toEqual([]);
  });
});
