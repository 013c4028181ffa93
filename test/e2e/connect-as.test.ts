import { InstanceDetail } from '@ordo/protocol';
import pg from 'pg';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentProcess } from '../support/agent-process';
import { saveScreenshot, waitForText } from '../support/page-helpers';
import { setUpServer, startPanelSession, type PanelSession } from '../support/panel-session';
import { testPostgresUrl } from '../support/test-database';

// A version install and an instance creation run real git, python and psql: give them time.
const JOB_MS = 180_000;
const GONE = 'This login link was already used or has expired. Create a new one from Ordo.';

/** An internal Odoo user, written as Odoo would store it (as the PostgreSQL superuser). */
async function addOdooUser(database: string, login: string, name: string): Promise<void> {
  const url = new URL(testPostgresUrl());
  url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const partner = await client.query<{ id: number }>(
      'INSERT INTO res_partner (name, complete_name, company_id) VALUES ($1, $1, 1) RETURNING id',
      [name],
    );
    await client.query(
      'INSERT INTO res_users (login, partner_id, company_id, share, active) VALUES ($1, $2, 1, false, true)',
      [login, partner.rows[0]?.id],
    );
  } finally {
    await client.end();
  }
}

// The admin opens "Connect as" on a running stand-in Odoo instance, picks a user, and the new
// tab lands in Odoo logged in as that user; the same link opened again shows the "used" page.
describe('panel: connect as an Odoo user, end to end', () => {
  let session: PanelSession | undefined;
  let agent: AgentProcess | undefined;
  let context: BrowserContext;
  let page: Page;
  let browserErrors: string[] = [];
  /** Every "connect as" link the browser requested, in order. */
  const linkRequests: string[] = [];

  beforeAll(async () => {
    session = await startPanelSession({
      context: { viewport: { width: 1440, height: 1000 }, colorScheme: 'light' },
    });
    ({ agent, context, page, browserErrors } = session);
    context.on('request', (request) => {
      if (request.url().includes('/ordo/connect/')) linkRequests.push(request.url());
    });
  }, 240_000);

  afterAll(() => session?.close());

  async function screenshot(target: Page, name: string): Promise<void> {
    expect((await saveScreenshot(target, name)).byteLength).toBeGreaterThan(5_000);
  }

  it(
    'signs in and sets up a running instance with a second internal user',
    async () => {
      if (!session || !agent) throw new Error('The agent did not start');
      await session.signIn();
      await setUpServer(session, { timeoutMs: JOB_MS });
      const response = await fetch(`${agent.url}/v1/instances/shop`, {
        headers: { authorization: `Bearer ${agent.token}` },
      });
      const { database } = InstanceDetail.parse(await response.json());
      await addOdooUser(database, 'alice', 'Alice Martin');
    },
    2 * JOB_MS,
  );

  it('lists the users with search, and the new tab lands in Odoo as the chosen one', async () => {
    await page.reload();
    const card = page.getByRole('article', { name: 'shop', exact: true });
    await card.getByRole('button', { name: 'Connect as' }).click();
    const dialog = page.getByRole('dialog', { name: 'Connect as a user of shop' });
    const table = dialog.getByRole('table', { name: 'Odoo users of shop' });
    await waitForText(table, 'Alice Martin');
    await waitForText(table, 'Administrator');
    await waitForText(dialog, 'Each link works once and for 2 minutes');

    await dialog.getByRole('searchbox', { name: 'Search users' }).fill('alic');
    await waitForText(dialog.locator('.toolbar-count'), '1 of 2');
    expect(await table.getByRole('row').count()).toBe(2); // header + Alice
    await screenshot(page, 'connect-as-dialog');

    const popup = page.waitForEvent('popup');
    await dialog.getByRole('button', { name: 'Connect as alice' }).click();
    const odoo = await popup;
    await odoo.waitForLoadState('load');
    expect(new URL(odoo.url()).pathname).toBe('/web');
    const info = await odoo.evaluate(() => {
      const holder: unknown = Reflect.get(window, 'odoo');
      const sessionInfo: unknown =
        typeof holder === 'object' && holder !== null
          ? Reflect.get(holder, '__session_info__')
          : null;
      return JSON.stringify(sessionInfo);
    });
    expect(JSON.parse(info)).toMatchObject({ username: 'alice', name: 'Alice Martin' });
    await waitForText(dialog.getByRole('status'), 'Odoo opened in a new tab as Alice Martin');
    await screenshot(odoo, 'connect-as-odoo');

    expect(linkRequests).toHaveLength(1);
    const again = await context.newPage();
    const second = await again.goto(linkRequests[0] ?? '');
    expect(second?.status()).toBe(410);
    await waitForText(again.locator('body'), GONE);
    await screenshot(again, 'connect-as-used');
    await Promise.all([again.close(), odoo.close()]);
  });

  it('records the connection in the audit log with the Odoo login', async () => {
    const dialog = page.getByRole('dialog', { name: 'Connect as a user of shop' });
    await dialog.getByRole('button', { name: 'Close' }).last().click();
    await dialog.waitFor({ state: 'detached' });
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Audit log' })
      .click();
    await page.getByPlaceholder('Search email, action, target or address').fill('connectAs');
    const row = page.getByRole('row').filter({ hasText: 'instances.connectAs' });
    await row.first().getByRole('button', { name: 'Details' }).click();
    await waitForText(page.locator('.audit-params'), 'alice');
    expect(browserErrors).toEqual([]);
  });
});
