import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentProcess } from '../support/agent-process';
import { saveScreenshot, waitForText } from '../support/page-helpers';
import { addServerThroughApi } from '../support/panel-api';
import { startPanelSession, type PanelSession } from '../support/panel-session';

// A version install and an instance creation run real git, python and psql: give them time.
const JOB_MS = 180_000;
const STATUS_MS = 30_000;

// One browser session installs Odoo 17.0 (the stand-in, from a local bare repo) on a real agent,
// then creates, stops, starts, inspects and deletes an instance, all through the panel.
describe('panel: versions, instances and jobs, end to end', () => {
  let session: PanelSession | undefined;
  let agent: AgentProcess | undefined;
  let page: Page;
  let masterPassword = '';
  let browserErrors: string[] = [];

  beforeAll(async () => {
    session = await startPanelSession({ context: { colorScheme: 'light' } });
    ({ agent, page, browserErrors } = session);
  }, 240_000);

  afterAll(() => session?.close());

  const mainNav = () => page.getByRole('navigation', { name: 'Main' });
  const card = (name: string) => page.getByRole('article', { name, exact: true });
  const statusBadge = (name: string) => card(name).locator('.badge').nth(1);

  async function screenshot(name: string): Promise<void> {
    expect((await saveScreenshot(page, name)).byteLength).toBeGreaterThan(10_000);
  }

  it('logs in and lands on the deep-linked Versions page, which asks for a server', async () => {
    await session?.signIn('/versions', 'Versions');
    await page.getByRole('heading', { name: 'No servers yet' }).waitFor();
  });

  it('shows the supported versions of the agent once its server is added', async () => {
    const { url, token } = requireAgent();
    // Adding a server through the UI is covered by servers.test.ts.
    await addServerThroughApi(page, { name: 'local', agentUrl: url, token });
    await page.reload();
    await page.getByRole('heading', { name: 'No version installed on local' }).waitFor();
    await page.getByRole('button', { name: 'Install Odoo 17.0' }).waitFor();
    expect(await page.getByRole('button', { name: /^Install Odoo/ }).count()).toBeGreaterThan(3);
  });

  it('installs Odoo 17.0 with a live log, up to "Installation completed successfully"', async () => {
    await page.getByRole('button', { name: 'Install Odoo 17.0' }).click();
    const dialog = page.getByRole('dialog', { name: 'Install Odoo 17.0' });
    await waitForText(dialog, 'Install Community first');
    expect(await dialog.getByLabel('Enterprise').isDisabled()).toBe(true);
    await dialog.getByRole('button', { name: 'Start installation' }).click();
    const log = dialog.getByLabel('Installation log of Odoo 17.0');
    await waitForText(log, 'Installing Odoo 17.0 (community)');
    await screenshot('versions-install');
    await waitForText(dialog.getByRole('status'), 'Installation completed successfully', JOB_MS);
    await waitForText(log, 'Installed Odoo 17.0 in');
    await dialog.getByRole('button', { name: 'Close' }).last().click();
    await dialog.waitFor({ state: 'detached' });
    const table = page.getByRole('region', { name: 'Installed versions' });
    await waitForText(table, 'Odoo 17.0');
    await waitForText(table, 'Community');
    expect(await page.getByRole('button', { name: 'Install Odoo 17.0' }).count()).toBe(0);
    await screenshot('versions');
  });

  it('checks the instance name as it is typed, then creates the instance with live progress', async () => {
    await mainNav().getByRole('link', { name: 'Instances' }).click();
    await page.getByRole('heading', { name: 'No instances yet' }).waitFor();
    await page.getByRole('button', { name: 'Create an instance' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Create an instance' });
    await waitForText(dialog.getByLabel('Odoo version'), 'Odoo 17.0');
    expect(await dialog.getByLabel('Enterprise').isDisabled()).toBe(true);

    const name = dialog.getByLabel('Instance name');
    await name.fill('Shop!');
    await waitForText(dialog.locator('.field-error'), 'lowercase letters, digits');
    await name.fill('shop');
    await waitForText(dialog.locator('.field-status'), 'shop is available');
    expect(await dialog.getByLabel('Odoo admin login').inputValue()).toBe('admin');
    await screenshot('instances-create');
    await dialog.getByRole('button', { name: 'Create instance' }).click();

    // Titled "Creating shop" while it runs, "Created shop" once done.
    const progress = page.getByRole('dialog', { name: /^Creat(ing|ed) shop$/ });
    await progress.waitFor();
    // The card appears at once, provisioning, behind the dialog.
    await waitForText(statusBadge('shop'), 'In progress');
    await progress.getByRole('progressbar', { name: 'Creation progress' }).waitFor();
    await waitForText(progress.getByLabel('Creation log of shop'), 'Writing odoo.conf', JOB_MS);
    await screenshot('instances-provisioning');
    await waitForText(progress.getByRole('status'), 'shop is created', JOB_MS);
    await page.getByRole('dialog', { name: 'Created shop' }).waitFor();
    await waitForText(progress.getByLabel('Creation log of shop'), 'Instance shop is running');

    const secret = progress.locator('.secret-text').first();
    await secret.waitFor();
    masterPassword = (await secret.textContent()) ?? '';
    expect(masterPassword.length).toBeGreaterThanOrEqual(12);
    await screenshot('instances-created');
    await progress.getByRole('button', { name: 'Done' }).click();
    await progress.waitFor({ state: 'detached' });
    await waitForText(statusBadge('shop'), 'Running', STATUS_MS);
  });

  it('shows the card with its URL, and reveals the master password on demand', async () => {
    const shop = card('shop');
    await waitForText(shop, 'Production');
    await waitForText(shop, 'Odoo 17.0');
    // The server's runtime is shown on the card (issue 9).
    expect(await shop.getByTitle('How this server runs its instances').textContent()).toContain(
      'Native',
    );
    const link = shop.getByRole('link', { name: /http:\/\/127\.0\.0\.1:\d+/ });
    const href = (await link.getAttribute('href')) ?? '';
    expect((await fetch(href)).status).toBeLessThan(500);
    expect(await shop.textContent()).not.toContain(masterPassword);
    await shop.getByRole('button', { name: 'Reveal master password' }).click();
    await waitForText(shop.locator('.secret-text').first(), masterPassword);
    await shop.getByRole('button', { name: 'Hide master password' }).click();
    await screenshot('instances');
  });

  it('stops and starts the instance, the status following', async () => {
    const shop = card('shop');
    await shop.getByRole('button', { name: 'Stop', exact: true }).click();
    await waitForText(statusBadge('shop'), 'Stopped', STATUS_MS);
    await shop.getByRole('button', { name: 'Start', exact: true }).click();
    await waitForText(statusBadge('shop'), 'Running', STATUS_MS);
  });

  it('shows the Odoo log with a level filter', async () => {
    await card('shop').getByRole('button', { name: 'Logs' }).click();
    const dialog = page.getByRole('dialog', { name: 'Logs of shop' });
    const lines = dialog.getByRole('log', { name: 'Log lines of shop' });
    await lines.locator('.log-line').first().waitFor({ timeout: STATUS_MS });
    await waitForText(lines, 'INFO');
    await dialog.getByLabel('Level').selectOption('ERROR');
    await lines.locator('.log-line', { hasText: 'INFO' }).first().waitFor({ state: 'detached' });
    await dialog.getByLabel('Level').selectOption('');
    await dialog.getByRole('button', { name: 'Load newer' }).click();
    await lines.locator('.log-line').first().waitFor();
    await screenshot('instances-logs');
    await dialog.getByRole('button', { name: 'Close' }).last().click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('changes a setting in the configuration, which restarts the instance', async () => {
    await card('shop').getByRole('button', { name: 'Configuration' }).click();
    const dialog = page.getByRole('dialog', { name: 'Configuration of shop' });
    const workers = dialog.getByLabel('Workers');
    await workers.waitFor();
    await workers.fill('99');
    await dialog.getByRole('button', { name: 'Save and restart' }).click();
    await waitForText(dialog.locator('.field-error'), 'At most 64');
    await workers.fill('3');
    await screenshot('instances-config');
    await dialog.getByRole('button', { name: 'Save and restart' }).click();
    await dialog.waitFor({ state: 'detached', timeout: STATUS_MS });
    await card('shop').getByRole('button', { name: 'Configuration' }).click();
    await waitForValue(page.getByRole('dialog', { name: 'Configuration of shop' }), '3');
    await page
      .getByRole('dialog', { name: 'Configuration of shop' })
      .getByRole('button', { name: 'Cancel' })
      .click();
    await waitForText(statusBadge('shop'), 'Running', STATUS_MS);
  });

  it('lists both jobs on the Jobs page and opens the full log of one', async () => {
    await mainNav().getByRole('link', { name: 'Jobs' }).click();
    const table = page.getByRole('table');
    await waitForText(table, 'Odoo 17.0');
    await waitForText(table, 'Instance creation');
    expect(await table.locator('tbody tr').count()).toBe(2);
    expect(await table.locator('.badge', { hasText: 'Succeeded' }).count()).toBe(2);
    await screenshot('jobs');
    await page.getByRole('button', { name: 'Open the log of shop' }).click();
    const dialog = page.getByRole('dialog', { name: 'Instance creation · shop' });
    await waitForText(dialog, 'End of log');
    await waitForText(dialog.getByLabel(/^Log of job/), 'Instance shop is running');
    await screenshot('jobs-log');
    await dialog.getByRole('button', { name: 'Close' }).last().click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('deletes the instance only once its name is typed', async () => {
    await mainNav().getByRole('link', { name: 'Instances' }).click();
    await card('shop').getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete shop?' });
    const confirm = dialog.getByRole('button', { name: 'Delete instance' });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel('Type shop to confirm').fill('sho');
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel('Type shop to confirm').fill('shop');
    await confirm.click();
    await dialog.waitFor({ state: 'detached', timeout: STATUS_MS });
    await card('shop').waitFor({ state: 'detached' });
    await page.getByRole('heading', { name: 'No instances yet' }).waitFor();
  });

  it('ran without a console error or an uncaught exception', () => {
    expect(browserErrors).toEqual([]);
  });

  function requireAgent(): AgentProcess {
    if (!agent) throw new Error('the agent did not start');
    return agent;
  }
});

/** Waits until the dialog's Workers field holds `value` (the dialog loads odoo.conf first). */
async function waitForValue(dialog: Locator, value: string): Promise<void> {
  const workers = dialog.getByLabel('Workers');
  await workers.waitFor();
  const deadline = Date.now() + STATUS_MS;
  while ((await workers.inputValue()) !== value) {
    if (Date.now() > deadline) throw new Error(`Workers never showed ${value}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
