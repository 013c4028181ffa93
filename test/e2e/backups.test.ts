import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveScreenshot, waitForText } from '../support/page-helpers';
import {
  ADMIN_EMAIL,
  setUpServer,
  startPanelSession,
  type PanelSession,
} from '../support/panel-session';
import { createTempDir, type TempDir } from '../support/temp-dir';

const run = promisify(execFile);
// Installing a version, creating an instance and restoring run real git, python and psql.
const JOB_MS = 180_000;

// One browser session backs an instance up from its card (the ZIP downloads by itself), finds
// the backup in the list, then restores that very file through the Restore dialog.
describe('panel: backup, download and restore, end to end', () => {
  let session: PanelSession | undefined;
  let downloads: TempDir | undefined;
  let page: Page;
  let zipPath = '';
  let browserErrors: string[] = [];

  beforeAll(async () => {
    [session, downloads] = await Promise.all([
      startPanelSession({ context: { acceptDownloads: true } }),
      createTempDir('ordo-e2e-backups'),
    ]);
    ({ page, browserErrors } = session);
    await session.signIn();
    await setUpServer(session, { timeoutMs: JOB_MS });
  }, 420_000);

  afterAll(async () => {
    await session?.close();
    await downloads?.remove();
  });

  const card = () => page.getByRole('article', { name: 'shop', exact: true });

  const screenshot = (name: string) => saveScreenshot(page, name);

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
