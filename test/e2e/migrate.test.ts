import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ServerView } from '@ordo/protocol/panel';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentProcess } from '../support/agent-process';
import { launchBrowser } from '../support/browser';
import { startControlProcess, type ControlProcess } from '../support/control-process';
import { startOdooAgentProcess } from '../support/odoo-agent-process';
import { waitForText } from '../support/page-helpers';
import {
  addServerThroughApi,
  createInstanceThroughApi,
  installVersionThroughApi,
} from '../support/panel-api';
import { REPO_ROOT } from '../support/repo-paths';

const ADMIN_EMAIL = 'admin@ordo.test';
const ADMIN_PASSWORD = 'correct horse battery';
const SCREENSHOTS = join(REPO_ROOT, '.tmp');
// Installs, creations and the migration's backup, create, restore and start run real git,
// python, pg_dump and psql on a loaded machine.
const JOB_MS = 240_000;
const STATUS_MS = 30_000;

// Two agents (each with its own PostgreSQL role and database prefix), one control plane: the
// admin moves one of two instances of the first server to the second from Servers → Migrate.
describe('panel: migrating an instance between servers, end to end', () => {
  let first: AgentProcess | undefined;
  let second: AgentProcess | undefined;
  let control: ControlProcess | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const browserErrors: string[] = [];

  beforeAll(async () => {
    [first, second, control, browser] = await Promise.all([
      startOdooAgentProcess(),
      startOdooAgentProcess(),
      startControlProcess({ adminEmail: ADMIN_EMAIL, adminPassword: ADMIN_PASSWORD }),
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

    await page.goto('/servers');
    await page.getByLabel('Email').fill(ADMIN_EMAIL);
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Servers', level: 1 }).waitFor();
    // Servers, versions and instance creation through the UI are covered by other e2e tests.
    const [from, to]: ServerView[] = await Promise.all([
      addServerThroughApi(page, { name: 'first', agentUrl: first.url, token: first.token }),
      addServerThroughApi(page, { name: 'second', agentUrl: second.url, token: second.token }),
    ]);
    if (!from || !to) throw new Error('The servers were not added');
    await Promise.all([
      installVersionThroughApi(page, from.id, '17.0', JOB_MS),
      installVersionThroughApi(page, to.id, '17.0', JOB_MS),
    ]);
    // Two instances, so that the search has one to hide and one stays behind.
    await Promise.all(
      ['shop', 'blog'].map((name) =>
        createInstanceThroughApi(page, { serverId: from.id, name, version: '17.0' }, JOB_MS),
      ),
    );
    await page.reload();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([control?.stop(), first?.stop(), second?.stop()]);
  });

  async function screenshot(name: string): Promise<void> {
    await mkdir(SCREENSHOTS, { recursive: true });
    const image = await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
    expect(image.byteLength).toBeGreaterThan(10_000);
  }

  it(
    'moves the chosen instance with live progress; it runs on the target, stopped on the source',
    async () => {
      const row = page.getByRole('rowgroup', { name: 'first', exact: true });
      await waitForText(row.getByRole('cell').nth(5), '2', STATUS_MS);
      await row.getByRole('button', { name: 'Migrate' }).click();
      const dialog = page.getByRole('dialog', { name: 'Migrate instances from first' });
      await dialog.getByLabel('Target server').selectOption({ label: 'second' });

      const list = dialog.getByRole('list', { name: 'Instances to migrate' });
      await waitForText(list, 'blog');
      await dialog.getByLabel('Search instances').fill('sho');
      await list.getByRole('checkbox', { name: /^shop\b/ }).waitFor();
      expect(await list.getByRole('checkbox').count()).toBe(1);
      await list.getByRole('checkbox', { name: /^shop\b/ }).check();
      await waitForText(dialog, '1 selected');
      await screenshot('migrate-choose');

      await dialog.getByRole('button', { name: 'Review' }).click();
      await waitForText(dialog, 'Move shop from first to second?');
      await waitForText(dialog, 'stopped on first, not deleted');
      await screenshot('migrate-confirm');
      await dialog.getByRole('button', { name: 'Migrate instance' }).click();

      const progress = dialog.getByRole('list', { name: 'Progress per instance' });
      await waitForText(progress, 'shop', STATUS_MS);
      // The row shows its step and a progress bar while it moves, and the log follows live.
      await progress.getByRole('progressbar', { name: 'Progress of shop' }).waitFor({
        timeout: JOB_MS,
      });
      const log = dialog.getByLabel('Log of the migration');
      await waitForText(log, 'shop: backing up on first', JOB_MS);
      await screenshot('migrate-progress');
      await waitForText(dialog.getByRole('status'), 'Moved to second', JOB_MS);
      await waitForText(progress, 'Moved');
      await waitForText(log, 'shop: running on second, Odoo answers its health check');
      await waitForText(log, 'shop: stopped on first');
      await screenshot('migrate-done');
      await dialog.getByRole('button', { name: 'Close' }).last().click();
      await dialog.waitFor({ state: 'detached' });

      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Instances' })
        .click();
      await page.getByRole('heading', { name: 'Instances', level: 1 }).waitFor();
      const group = (server: string) => page.getByRole('region', { name: server, exact: true });
      const status = (server: string, name: string) =>
        group(server).getByRole('article', { name, exact: true }).locator('.badge').nth(1);
      await waitForText(status('second', 'shop'), 'Running', STATUS_MS);
      await waitForText(status('first', 'shop'), 'Stopped', STATUS_MS);
      await waitForText(status('first', 'blog'), 'Running', STATUS_MS);
      expect(await group('second').getByRole('article').count()).toBe(1);
      await screenshot('migrate-instances');
    },
    3 * JOB_MS,
  );

  it('ran without a console error or an uncaught exception', () => {
    expect(browserErrors).toEqual([]);
  });
});
