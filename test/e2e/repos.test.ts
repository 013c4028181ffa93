import { createHmac, randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModulesRepo, type ModulesRepo } from '../fixtures/git/modules-repo';
import type { ControlProcess } from '../support/control-process';
import { saveScreenshot, waitForText } from '../support/page-helpers';
import { setUpServer, startPanelSession, type PanelSession } from '../support/panel-session';
import { createTempDir, type TempDir } from '../support/temp-dir';

// Installing a version and creating an instance run real git, python and psql.
const JOB_MS = 180_000;
const PULL_MS = 90_000;

// One browser session adds a Git repository (a local bare one) to an instance from its card,
// copies the webhook URL and secret, pulls a pushed commit by hand, then lets a signed
// webhook delivery pull the next one and sees it in the deliveries list.
describe('panel: git repositories and webhooks, end to end', () => {
  let session: PanelSession | undefined;
  let control: ControlProcess | undefined;
  let temp: TempDir | undefined;
  let addons: ModulesRepo;
  let page: Page;
  let hookUrl = '';
  let secret = '';
  let browserErrors: string[] = [];

  beforeAll(async () => {
    [session, temp] = await Promise.all([
      startPanelSession({ context: { permissions: ['clipboard-read', 'clipboard-write'] } }),
      createTempDir('ordo-e2e-repos'),
    ]);
    ({ control, page, browserErrors } = session);
    addons = await createModulesRepo(temp.path, 'addons');
    await session.signIn();
    await setUpServer(session, { timeoutMs: JOB_MS });
  }, 420_000);

  afterAll(async () => {
    await session?.close();
    await temp?.remove();
  });

  const dialog = () => page.getByRole('dialog', { name: 'Git repositories of shop' });
  const item = () => dialog().locator('.repo-item').first();
  const commit = () => item().getByTestId('repo-commit');

  const screenshot = (name: string) => saveScreenshot(page, name);

  it('adds a repository from the instance card and shows its checked-out commit', async () => {
    const card = page.getByRole('article', { name: 'shop', exact: true });
    await card.getByRole('button', { name: 'Git repos' }).click();
    await dialog().getByRole('heading', { name: 'No repository yet' }).waitFor();
    await dialog().getByRole('button', { name: 'Add a repository' }).click();
    const form = dialog().getByRole('form', { name: 'Add a repository' });
    await form.getByLabel('Repository URL').fill('ftp://example.com/addons.git');
    await form.getByRole('button', { name: 'Add and clone' }).click();
    await waitForText(form.locator('.field-error'), 'Use an https://');
    expect(await form.getByLabel('Access token').getAttribute('type')).toBe('password');
    expect(await form.getByLabel('Branch').inputValue()).toBe('main');
    await form.getByLabel('Repository URL').fill(pathToFileURL(addons.bare).href);
    await screenshot('repos-add');
    await form.getByRole('button', { name: 'Add and clone' }).click();

    const head = await addons.head();
    await waitForText(commit(), head.slice(0, 7), PULL_MS);
    await waitForText(item(), 'main');
  });

  it('shows the webhook URL and secret with copy buttons and setup hints', async () => {
    await item().getByRole('button', { name: 'Webhook' }).click();
    const url = item().locator('.secret', { hasText: 'Payload URL' }).locator('.secret-text');
    await waitForText(url, '/hooks/git/');
    hookUrl = ((await url.textContent()) ?? '').trim();
    expect(hookUrl.startsWith(`${control?.url ?? ''}/hooks/git/`)).toBe(true);
    await item().getByRole('button', { name: 'Reveal secret' }).click();
    const shown = item().locator('.secret', { hasText: 'Secret' }).locator('.secret-text');
    await shown.waitFor();
    secret = ((await shown.textContent()) ?? '').trim();
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    await item().getByRole('button', { name: 'Copy secret' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await item().getByText('Set it up on GitHub').click();
    await waitForText(item(), 'Just the push event');
    await item().getByText('Set it up on GitLab').click();
    await waitForText(item(), 'Secret token');
    await screenshot('repos-webhook');
  });

  it('pulls a pushed commit when Pull is clicked, with live progress', async () => {
    const next = await addons.push('mod_a/models.py', 'X = 1\n');
    await item().getByRole('button', { name: 'Pull', exact: true }).click();
    // Live progress of the pull job while it runs (fetch, -u, restart take seconds).
    await item().getByRole('progressbar', { name: 'Repository pull progress' }).waitFor();
    await waitForText(commit(), next.slice(0, 7), PULL_MS);
    await waitForText(item(), 'updated mod_a');
  });

  it('pulls again when a signed GitHub push arrives, and lists the delivery', async () => {
    const next = await addons.push('mod_a/models.py', 'X = 2\n');
    const body = JSON.stringify({ ref: 'refs/heads/main', after: next });
    const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    const answer = await fetch(hookUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'push',
        'x-github-delivery': randomUUID(),
        'x-hub-signature-256': signature,
      },
      body,
    });
    expect(answer.status).toBe(202);
    await waitForText(commit(), next.slice(0, 7), PULL_MS);
    const deliveries = dialog().getByRole('table', { name: 'Webhook deliveries' });
    await waitForText(deliveries, 'Accepted');
    await waitForText(deliveries, next.slice(0, 7));
    await screenshot('repos');
  });

  it('removes the repository after a confirmation', async () => {
    await item()
      .getByRole('button', { name: /^Remove / })
      .click();
    await waitForText(item(), 'Its checkout leaves the server');
    await item().getByRole('button', { name: 'Yes, remove' }).click();
    await dialog()
      .getByRole('heading', { name: 'No repository yet' })
      .waitFor({ timeout: PULL_MS });
    await dialog().getByRole('button', { name: 'Close' }).last().click();
    expect(browserErrors).toEqual([]);
  });
});
