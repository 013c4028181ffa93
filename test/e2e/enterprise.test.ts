import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnterpriseBareRepo } from '../fixtures/odoo/make-odoo-repo.mjs';
import { startLocalSshd, type LocalSshd } from '../fixtures/ssh/local-sshd';
import { saveScreenshot, waitForText } from '../support/page-helpers';
import { setUpServer, startPanelSession, type PanelSession } from '../support/panel-session';
import { createTempDir, type TempDir } from '../support/temp-dir';

const JOB_MS = 180_000;

// The admin generates the Enterprise key in Settings, the upgrade dialog shows the guide while
// "GitHub" (a local sshd) does not know the key, then upgrades once the key is added.
describe('panel: Enterprise SSH key and Upgrade to Enterprise, end to end', () => {
  let dir: TempDir | undefined;
  let sshd: LocalSshd | undefined;
  let session: PanelSession | undefined;
  let page: Page;
  let browserErrors: string[] = [];

  beforeAll(async () => {
    dir = await createTempDir('ordo-e2e-enterprise');
    sshd = await startLocalSshd(join(dir.path, 'sshd'));
    const repo = await createEnterpriseBareRepo(dir.path, ['17.0']);
    session = await startPanelSession({
      agentEnv: {
        ORDO_ENTERPRISE_GIT_URL: sshd.gitUrl(repo),
        ORDO_ENTERPRISE_SSH_TEST_TARGET: sshd.target,
      },
      context: {
        viewport: { width: 1440, height: 1000 },
        colorScheme: 'light',
        permissions: ['clipboard-read', 'clipboard-write'],
      },
    });
    ({ page, browserErrors } = session);
  }, 240_000);

  afterAll(async () => {
    await session?.close();
    await sshd?.stop();
    await dir?.remove();
  });

  async function screenshot(name: string): Promise<void> {
    expect((await saveScreenshot(page, name)).byteLength).toBeGreaterThan(5_000);
  }

  it(
    'generates the key in Settings, shows the guide while GitHub refuses it, then upgrades',
    async () => {
      if (!session || !sshd) throw new Error('The agent or sshd did not start');
      await session.signIn('/settings', 'Settings');
      await setUpServer(session, { instance: null, timeoutMs: JOB_MS });

      // Settings → Enterprise SSH key: generate, copy, test (refused: not on GitHub yet).
      await page.reload();
      const card = page.locator('section', {
        has: page.getByRole('heading', { name: 'Enterprise SSH key' }),
      });
      await card.getByRole('button', { name: 'Generate key' }).click();
      const publicKey = card.getByLabel('Public key');
      await waitForText(publicKey, 'ssh-ed25519 ');
      const keyLine = ((await publicKey.textContent()) ?? '').trim();
      expect(keyLine).toMatch(/^ssh-ed25519 \S+ ordo@/);
      await card.getByRole('button', { name: 'Copy' }).click();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(keyLine);
      await card.getByRole('button', { name: 'Test GitHub connection' }).click();
      await waitForText(card.getByRole('status'), 'Permission denied (publickey)');
      await screenshot('enterprise-ssh-key');

      // Regenerating asks first; cancelling keeps the key.
      await card.getByRole('button', { name: 'Regenerate key' }).click();
      const confirm = page.getByRole('dialog', { name: 'Regenerate the SSH key?' });
      await waitForText(confirm, 'The old key stops');
      await confirm.getByRole('button', { name: 'Cancel' }).click();
      expect(((await publicKey.textContent()) ?? '').trim()).toBe(keyLine);

      // Versions → Upgrade to Enterprise: the check fails, so the dialog shows the guide.
      await page.goto('/versions');
      await page.getByRole('button', { name: 'Upgrade to Enterprise' }).click();
      const dialog = page.getByRole('dialog', { name: 'Upgrade Odoo 17.0 to Enterprise' });
      await waitForText(dialog, 'GitHub does not accept the key of local', 30_000);
      await waitForText(dialog, 'Settings → SSH and GPG keys → New SSH key');
      await waitForText(dialog.getByLabel('Public key'), keyLine);
      await screenshot('enterprise-guide');

      // The admin adds the key on "GitHub" and tests again from the guide.
      await sshd.authorize([keyLine]);
      await dialog.getByRole('button', { name: 'Test GitHub connection' }).click();
      await waitForText(dialog, 'GitHub recognises the key of local', 30_000);
      await dialog.getByRole('button', { name: 'Launch Enterprise upgrade' }).click();
      await waitForText(dialog, 'Enterprise modules successfully added', JOB_MS);
      await waitForText(
        dialog.getByLabel('Enterprise upgrade log of Odoo 17.0'),
        'Cloning branch 17.0 of ssh://',
      );
      await screenshot('enterprise-upgraded');
      await dialog.getByRole('button', { name: 'Close' }).last().click();

      const row = page.getByRole('row', { name: /Odoo 17\.0/ });
      await waitForText(row, 'Enterprise');
      expect(await row.getByRole('button', { name: 'Upgrade to Enterprise' }).count()).toBe(0);
      expect(browserErrors).toEqual([]);
    },
    3 * JOB_MS,
  );
});
