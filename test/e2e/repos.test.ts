import { createHmac, randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ServerView } from '@ordo/protocol/panel';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAddonsRepo, type AddonsRepo } from '../support/addons-repo';
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

const ADMIN_EMAIL = 'admin@ordo.test';
const ADMIN_PASSWORD = 'correct horse battery';
// Installing a version and creating an instance run real git, python and psql.
const JOB_MS = 180_000;
const PULL_MS = 90_000;
const SCREENSHOTS = join(REPO_ROOT, '.tmp');

// One browser session adds a Git repository (a local bare one) to an instance from its card,
// copies the webhook URL and secret, pulls a pushed commit by hand, then lets a signed
// webhook delivery pull the next one and sees it in the deliveries list.
describe('panel: git repositories and webhooks, end to end', () => {
  let agent: AgentProcess | undefined;
  let control: ControlProcess | undefined;
  let browser: Browser | undefined;
  let temp: TempDir | undefined;
  let addons: AddonsRepo;
  let page: Page;
  let hookUrl = '';
  let secret = '';
  const browserErrors: string[] = [];

  beforeAll(async () => {
    [agent, control, browser, temp] = await Promise.all([
      startOdooAgentProcess(),
      startControlProcess({ adminEmail: ADMIN_EMAIL, adminPassword: ADMIN_PASSWORD }),
      launchBrowser(),
      createTempDir('ordo-e2e-repos'),
    ]);
    addons = await createAddonsRepo(temp.path);
    const context = await browser.newContext({
      baseURL: control.url,
      viewport: { width: 1440, height: 900 },
      permissions: ['clipboard-read', 'clipboard-write'],
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
    await temp?.remove();
  });

  const dialog = () => page.getByRole('dialog', { name: 'Git repositories of shop' });
  const item = () => dialog().locator('.repo-item').first();
  const commit = () => item().getByTestId('repo-commit');

  async function screenshot(name: string): Promise<void> {
    await mkdir(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
  }

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
