import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
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
import { createTempDir, type TempDir } from '../support/temp-dir';

const run = promisify(execFile);
const ADMIN_EMAIL = 'admin@ordo.test';
const ADMIN_PASSWORD = 'correct horse battery';
// Installing a version, creating an instance and restoring run real git, python and psql.
const JOB_MS = 180_000;
const SCREENSHOTS = join(REPO_ROOT, '.tmp');

// One browser session backs an instance up from its card (the ZIP downloads by itself), finds
// the backup in the list, then restores that very file through the Restore dialog.
describe('panel: backup, download and restore, end to end', () => {
  let agent: AgentProcess | undefined;
  let control: ControlProcess | undefined;
  let browser: Browser | undefined;
  let downloads: TempDir | undefined;
  let page: Page;
  let zipPath = '';
  const browserErrors: string[] = [];

  beforeAll(async () => {
    [agent, control, browser, downloads] = await Promise.all([
      startOdooAgentProcess(),
      startControlProcess({ adminEmail: ADMIN_EMAIL, adminPassword: ADMIN_PASSWORD }),
      launchBrowser(),
      createTempDir('ordo-e2e-backups'),
    ]);
    const context = await browser.newContext({
      baseURL: control.url,
      viewport: { width: 1440, height: 900 },
      acceptDownloads: true,
    });
    page = await context.newPage();
    page.on('pageerror', (error) => browserErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
        browserErrors.push(message.text());
      }
    });

    await page.goto('/instances');
    await page.getByLabel('Email').fill(ADMIN_EMAIL);
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Instances', level: 1 }).waitFor();
    // Versions and instance creation through the UI are covered by instances.test.ts.
    const server: ServerView = await addServerThroughApi(page, {
      name: 'local',
      agentUrl: agent.url,
      token: agent.token,
    });
    await installVersionThroughApi(page, server.id, '17.0', JOB_MS);
    await createInstanceThroughApi(
      page,
      { serverId: server.id, name: 'shop', version: '17.0' },
      JOB_MS,
    );
    await page.reload();
  }, 420_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([control?.stop(), agent?.stop()]);
    await downloads?.remove();
  });

  const card = () => page.getByRole('article', { name: 'shop', exact: true });

  async function screenshot(name: string): Promise<void> {
    await mkdir(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
  }

  it('backs the instance up from its card; the ZIP downloads by itself', async () => {
    await card().getByRole('button', { name: 'Backup', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Back up shop' });
    const database = await dialog.getByLabel('Database').inputValue();
    expect(database).toMatch(/_shop$/);

    const download = page.waitForEvent('download', { timeout: JOB_MS });
    await dialog.getByRole('button', { name: 'Create backup' }).click();
    await dialog.getByLabel('Backup log of shop').waitFor();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(
      new RegExp(`^${database}_\\d{4}-\\d{2}-\\d{2}_\\d{2}-\\d{2}-\\d{2}\\.zip$`),
    );
    zipPath = join(downloads?.path ?? '', file.suggestedFilename());
    await file.saveAs(zipPath);
    const { stdout } = await run('unzip', ['-Z1', zipPath]);
    expect(stdout.split('\n')).toEqual(expect.arrayContaining(['dump.sql', 'manifest.json']));
    const manifest: unknown = JSON.parse(
      (await run('unzip', ['-p', zipPath, 'manifest.json'])).stdout,
    );
    expect(manifest).toMatchObject({ odoo_dump: '1', db_name: database });

    await waitForText(dialog.getByRole('status'), 'Backup ready');
    await screenshot('backups-create');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('lists the backup with its size, age and author, and downloads the same bytes', async () => {
    await card().getByRole('button', { name: 'Backups', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Backups of shop' });
    const table = dialog.getByRole('table', { name: 'Backups of shop' });
    await waitForText(table, ADMIN_EMAIL);
    await waitForText(table, 'just now');
    expect(await table.locator('tbody tr').count()).toBe(1);
    await screenshot('backups-list');

    const download = page.waitForEvent('download');
    await table.getByRole('link', { name: /^Download the backup of/ }).click();
    const again = await (await download).path();
    const hash = async (path: string) =>
      createHash('sha256')
        .update(await readFile(path))
        .digest('hex');
    expect(await hash(again)).toBe(await hash(zipPath));
    await dialog.getByRole('button', { name: 'Close' }).last().click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('restores that file once the instance name is typed, following the job live', async () => {
    await card().getByRole('button', { name: 'Restore', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Restore shop' });
    expect(await dialog.getByLabel('Back up the current data first').isChecked()).toBe(true);
    await dialog.getByLabel('Backup file').setInputFiles(zipPath);
    await dialog.getByLabel('Give the administrator a new password').check();
    const restore = dialog.getByRole('button', { name: 'Restore', exact: true });
    expect(await restore.isDisabled()).toBe(true);
    await dialog.getByLabel('Type shop to confirm').fill('shop');
    await screenshot('backups-restore-form');
    await restore.click();

    await dialog.getByLabel('Restore log of shop').waitFor({ timeout: JOB_MS });
    await waitForText(dialog.getByRole('status').first(), 'shop is restored', JOB_MS);
    const password = await dialog.locator('.secret-text').first().textContent();
    expect(password?.length ?? 0).toBeGreaterThanOrEqual(16);
    await screenshot('backups-restored');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });
    await waitForText(card().locator('.badge').nth(1), 'Running', 30_000);

    // The safety backup taken before the swap is listed next to the one made above.
    await card().getByRole('button', { name: 'Backups', exact: true }).click();
    const list = page.getByRole('dialog', { name: 'Backups of shop' });
    await list.getByRole('table').waitFor();
    const deadline = Date.now() + 15_000;
    while ((await list.locator('tbody tr').count()) < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(await list.locator('tbody tr').count()).toBe(2);
  });

  it('ran without a console error or an uncaught exception', () => {
    expect(browserErrors).toEqual([]);
  });
});
