import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ZipArchive } from 'archiver';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveScreenshot, waitForText } from '../support/page-helpers';
import { setUpServer, startPanelSession, type PanelSession } from '../support/panel-session';
import { createTempDir, type TempDir } from '../support/temp-dir';

// Installing a version, creating an instance and cloning it run real git, python and psql.
const JOB_MS = 180_000;
const STATUS_MS = 30_000;

/** A ZIP of Odoo modules, written with archiver: one at the root, one nested in a repository. */
async function writeAddonsZip(path: string): Promise<void> {
  const archive = new ZipArchive({ zlib: { level: 6 } });
  const manifest = "{'name': 'E2E module', 'version': '17.0.1.0.0', 'depends': ['base']}\n";
  archive.append(manifest, { name: 'e2e_root_mod/__manifest__.py' });
  archive.append('', { name: 'e2e_root_mod/__init__.py' });
  archive.append(manifest, { name: 'my-repo/e2e_nested_mod/__manifest__.py' });
  archive.append('# not a module\n', { name: 'my-repo/README.md' });
  const written = pipeline(archive, createWriteStream(path));
  await archive.finalize();
  await written;
}

// One browser session clones a production instance to staging from its card (the staging card
// appears nested under it and ends up running), then uploads a ZIP of modules to it.
describe('panel: clone to staging and addons upload, end to end', () => {
  let session: PanelSession | undefined;
  let files: TempDir | undefined;
  let page: Page;
  let browserErrors: string[] = [];

  beforeAll(async () => {
    [session, files] = await Promise.all([
      startPanelSession({ context: { colorScheme: 'light' } }),
      createTempDir('ordo-e2e-clone-addons'),
    ]);
    ({ page, browserErrors } = session);
    await session.signIn();
    await setUpServer(session, { timeoutMs: JOB_MS });
  }, 420_000);

  afterAll(async () => {
    await Promise.all([session?.close(), files?.remove()]);
  });

  const card = (name: string) => page.getByRole('article', { name, exact: true });
  const statusBadge = (name: string) => card(name).locator('.badge').nth(1);

  async function screenshot(name: string): Promise<void> {
    expect((await saveScreenshot(page, name)).byteLength).toBeGreaterThan(10_000);
  }

  it('clones production to staging with live progress; the staging card appears nested', async () => {
    await waitForText(statusBadge('shop'), 'Running', STATUS_MS);
    await card('shop').getByRole('button', { name: 'Clone to staging' }).click();
    const dialog = page.getByRole('dialog', { name: 'Clone shop to staging' });
    const name = dialog.getByLabel('Staging instance name');
    // A free name is offered, checked live like in the Create dialog.
    expect(await name.inputValue()).toBe('shop-staging');
    await waitForText(dialog.locator('.field-status'), 'shop-staging is available');
    await name.fill('shop');
    await waitForText(dialog.locator('.field-error'), 'An instance named "shop" already exists');
    await name.fill('Bad Name');
    await waitForText(dialog.locator('.field-error'), 'lowercase letters, digits');
    await name.fill('shop-test');
    await waitForText(dialog.locator('.field-status'), 'shop-test is available');
    await screenshot('clone-dialog');
    await dialog.getByRole('button', { name: 'Clone to staging' }).click();

    const progress = page.getByRole('dialog', { name: /^Clon(ing|ed) shop to shop-test$/ });
    await progress.waitFor();
    // The staging card appears at once, nested under production, while the job runs.
    const children = page.getByLabel('Staging of shop', { exact: true });
    await children.getByRole('article', { name: 'shop-test', exact: true }).waitFor();
    await waitForText(
      progress.getByLabel('Clone log of shop-test'),
      'Copying the database',
      JOB_MS,
    );
    await screenshot('clone-progress');
    await waitForText(progress.getByRole('status'), 'shop-test is created', JOB_MS);
    await page.getByRole('dialog', { name: 'Cloned shop to shop-test' }).waitFor();
    await waitForText(progress.getByLabel('Clone log of shop-test'), 'Sanitised: neutralized');
    await screenshot('clone-done');
    await progress.getByRole('button', { name: 'Done' }).click();
    await progress.waitFor({ state: 'detached' });

    const staging = children.getByRole('article', { name: 'shop-test', exact: true });
    await waitForText(staging, 'Staging');
    await waitForText(statusBadge('shop-test'), 'Running', STATUS_MS);
    // Production kept running, and staging instances are not cloned again.
    await waitForText(statusBadge('shop'), 'Running');
    expect(await staging.getByRole('button', { name: 'Clone to staging' }).count()).toBe(0);
    await screenshot('clone-nested');
  });

  it('uploads a ZIP of modules and lists them as added, then as updated', async () => {
    const zipPath = join(files?.path ?? '', 'modules.zip');
    await writeAddonsZip(zipPath);
    await card('shop-test').getByRole('button', { name: 'Upload addons' }).click();
    const dialog = page.getByRole('dialog', { name: 'Upload addons to shop-test' });
    await waitForText(dialog, 'restarts shop-test');
    await dialog.getByLabel('ZIP of modules').setInputFiles(zipPath);
    await waitForText(dialog, 'modules.zip');
    await dialog.getByRole('button', { name: 'Upload', exact: true }).click();

    const list = dialog.getByRole('list', { name: 'Uploaded modules' });
    await list.waitFor({ timeout: STATUS_MS });
    await waitForText(list, 'e2e_nested_mod');
    await waitForText(list, 'e2e_root_mod');
    expect(await list.locator('.badge', { hasText: 'Added' }).count()).toBe(2);
    const done = dialog.getByRole('status');
    await waitForText(done, '2 modules added');
    await waitForText(done, 'shop-test was restarted to load them');
    await screenshot('addons-uploaded');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });
    await waitForText(statusBadge('shop-test'), 'Running', STATUS_MS);

    // The same archive again: the modules are now replaced, and an archive without any is refused.
    await card('shop-test').getByRole('button', { name: 'Upload addons' }).click();
    const again = page.getByRole('dialog', { name: 'Upload addons to shop-test' });
    await again.getByLabel('ZIP of modules').setInputFiles(zipPath);
    await again.getByRole('button', { name: 'Upload', exact: true }).click();
    const updated = again.getByRole('list', { name: 'Uploaded modules' });
    await updated.waitFor({ timeout: STATUS_MS });
    expect(await updated.locator('.badge', { hasText: 'Updated' }).count()).toBe(2);
    await again.getByRole('button', { name: 'Done' }).click();
    await again.waitFor({ state: 'detached' });
  });

  it('shows the agent refusal of an archive without modules', async () => {
    const emptyZip = join(files?.path ?? '', 'no-modules.zip');
    const archive = new ZipArchive({ zlib: { level: 6 } });
    archive.append('just notes\n', { name: 'notes/readme.txt' });
    const written = pipeline(archive, createWriteStream(emptyZip));
    await archive.finalize();
    await written;

    await card('shop-test').getByRole('button', { name: 'Upload addons' }).click();
    const dialog = page.getByRole('dialog', { name: 'Upload addons to shop-test' });
    await dialog.getByLabel('ZIP of modules').setInputFiles(emptyZip);
    await dialog.getByRole('button', { name: 'Upload', exact: true }).click();
    await waitForText(
      dialog.getByRole('alert'),
      'The archive holds no Odoo module (no folder with __manifest__.py)',
      STATUS_MS,
    );
    await screenshot('addons-refused');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('ran without a console error or an uncaught exception', () => {
    expect(browserErrors).toEqual([]);
  });
});
