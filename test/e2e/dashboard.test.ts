import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveScreenshot, waitForText } from '../support/page-helpers';
import { instanceActionThroughApi, waitForInstanceStatus } from '../support/panel-api';
import { setUpServer, startPanelSession, type PanelSession } from '../support/panel-session';

// A version install and an instance creation run real git, python and psql: give them time.
const JOB_MS = 180_000;
const LIVE_MS = 20_000;

// A real agent with one running stand-in Odoo instance, a control plane polling it every second:
// the Dashboard counts, charts and server health follow the fleet without a reload.
describe('panel: live dashboard, end to end', () => {
  let session: PanelSession | undefined;
  let page: Page;
  let serverId = '';
  let browserErrors: string[] = [];

  beforeAll(async () => {
    session = await startPanelSession({
      agentEnv: { ORDO_AGENT_METRICS_INTERVAL_MS: '1000' },
      controlEnv: { ORDO_METRICS_INTERVAL_MS: '1000' },
      context: { viewport: { width: 1440, height: 1000 }, colorScheme: 'light' },
    });
    ({ page, browserErrors } = session);
  }, 240_000);

  afterAll(() => session?.close());

  const stat = (label: string) => page.getByLabel(label, { exact: true }).locator('.stat-value');

  /** Charts draw on a canvas: what they show is read from their accessible summary. */
  async function waitForChart(name: string, text: string, timeoutMs = LIVE_MS): Promise<void> {
    const chart = page.getByRole('img', { name: new RegExp(`^${name}:`) });
    await expect
      .poll(async () => (await chart.getAttribute('aria-label')) ?? '', { timeout: timeoutMs })
      .toContain(text);
  }

  async function screenshot(name: string): Promise<void> {
    const image = await saveScreenshot(page, name, { fullPage: true });
    expect(image.byteLength).toBeGreaterThan(10_000);
  }

  it(
    'signs in and sets up one running instance through the API',
    async () => {
      if (!session) throw new Error('The agent did not start');
      await session.signIn('/', 'Dashboard');
      serverId = (await setUpServer(session, { timeoutMs: JOB_MS })).id;
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
