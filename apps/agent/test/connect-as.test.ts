import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InstanceDetail, LoginLink, OdooUserList } from '@ordo/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentConfig } from '../src';
import { createAppBench, type AppBench } from './agent-bench';
import { asSuperuser } from './backup-support';
import { authed, expectError, type TestApp } from './instance-support';

let bench: AppBench | undefined;
let root: string;
let config: AgentConfig;
let app: TestApp;
/** Unique: instance names are database names, and other test files run alongside. */
const SUFFIX = Math.random().toString(36).slice(2, 8);
const A = `ca_${SUFFIX}`;
const B = `cb_${SUFFIX}`;
const OPERATOR = 'ops@example.com';
const GONE = 'This login link was already used or has expired. Create a new one from Ordo.';

const call = (path: string, init: RequestInit = {}) =>
  app.request(path, authed(config.token, init));

async function detail(name: string): Promise<InstanceDetail> {
  const response = await call(`/v1/instances/${name}`);
  expect(response.status).toBe(200);
  return InstanceDetail.parse(await response.json());
}

/** Users besides admin: an internal one, a portal one, an archived one. */
async function addUsers(database: string): Promise<Record<'alice' | 'portal' | 'gone', number>> {
  return asSuperuser(database, async (client) => {
    const add = async (login: string, name: string, share: boolean, active: boolean) => {
      const partner = await client.query<{ id: number }>(
        'INSERT INTO res_partner (name, complete_name, company_id) VALUES ($1, $1, 1) RETURNING id',
        [name],
      );
      const user = await client.query<{ id: number }>(
        `INSERT INTO res_users (login, partner_id, company_id, share, active)
         VALUES ($1, $2, 1, $3, $4) RETURNING id`,
        [login, partner.rows[0]?.id, share, active],
      );
      return user.rows[0]?.id ?? 0;
    };
    return {
      alice: await add('alice', 'Alice Martin', false, true),
      portal: await add('portal.client', 'Portal Client', true, true),
      gone: await add('former', 'Former Employee', false, false),
    };
  });
}

async function createLink(name: string, body: Record<string, unknown>): Promise<LoginLink> {
  const response = await call(`/v1/instances/${name}/login-links`, {
    method: 'POST',
    body: JSON.stringify({ requestedBy: OPERATOR, ...body }),
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return LoginLink.parse(await response.json());
}

/** Opens the link like a browser: follows the redirect with the cookie it sets. */
async function open(url: string): Promise<{
  status: number;
  location: string | null;
  cookie: string | null;
  body: string;
}> {
  const response = await fetch(url, { redirect: 'manual' });
  const cookie = /session_id=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1] ?? null;
  return {
    status: response.status,
    location: response.headers.get('location'),
    cookie,
    body: await response.text(),
  };
}

/** Who the Odoo session of `cookie` is logged in as (Odoo's session info JSON-RPC route). */
async function whoIs(baseUrl: string, cookie: string): Promise<unknown> {
  const response = await fetch(`${baseUrl}/web/session/get_session_info`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: `session_id=${cookie}` },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'call', id: 1, params: {} }),
  });
  const body = (await response.json()) as { result?: { username?: unknown } };
  return body.result?.username ?? null;
}

let users: Record<'alice' | 'portal' | 'gone', number>;
let urlA: string;
let urlB: string;

beforeAll(async () => {
  bench = await createAppBench('ordo-connect-as', {
    versions: ['17.0', '18.0'],
    config: { publicHost: '127.0.0.1', dbPrefix: `t${SUFFIX}_` },
    instances: [
      { name: A, version: '17.0' },
      { name: B, version: '18.0' },
    ],
  });
  ({ root, config, app } = bench);
  users = await addUsers((await detail(A)).database);
  await addUsers((await detail(B)).database);
  urlA = (await detail(A)).url ?? '';
  urlB = (await detail(B)).url ?? '';
}, 420_000);

afterAll(() => bench?.close());

describe('connect as', () => {
  it('loads the login module server-wide in new instances, without installing it', async () => {
    const conf = await readFile(join(root, 'instances', A, 'odoo.conf'), 'utf8');
    expect(conf).toMatch(/^server_wide_modules = base,web,ordo_connect$/m);
    expect(conf).toContain(join(root, 'instances', A, 'ordo-addons'));
    const manifest = join(root, 'instances', A, 'ordo-addons', 'ordo_connect', '__manifest__.py');
    expect(await readFile(manifest, 'utf8')).toContain("'name': 'Ordo: Connect as'");
    // On the addons path it shows in Odoo's Apps list, like any module, but is not installed.
    const modules = await asSuperuser((await detail(A)).database, (client) =>
      client.query<{ state: string }>(
        "SELECT state FROM ir_module_module WHERE name = 'ordo_connect'",
      ),
    );
    expect(modules.rows.map((row) => row.state)).not.toContain('installed');
  });

  it('lists the active internal users only, by name', async () => {
    const response = await call(`/v1/instances/${A}/users`);
    expect(response.status).toBe(200);
    const { users: listed } = OdooUserList.parse(await response.json());
    expect(listed).toEqual([
      { id: 2, login: 'admin', name: 'Administrator' },
      { id: users.alice, login: 'alice', name: 'Alice Martin' },
    ]);
  });

  it('makes a link that logs the browser in as that user, once', async () => {
    const link = await createLink(A, { uid: users.alice, login: 'alice' });
    expect(link.url).toMatch(new RegExp(`^${urlA}/ordo/connect/[A-Za-z0-9_-]{43}$`));
    expect(link.restarted).toBe(false);
    const lifetime = new Date(link.expiresAt).getTime() - Date.now();
    expect(lifetime).toBeGreaterThan(60_000);
    expect(lifetime).toBeLessThanOrEqual(121_000);

    // Only the hash of "<database>:<token>" is stored, with who asked.
    const token = link.url.split('/').pop() ?? '';
    const database = (await detail(A)).database;
    const rows = await asSuperuser(database, (client) =>
      client.query<{ token_hash: string; uid: number; created_by: string }>(
        'SELECT token_hash, uid, created_by FROM ordo_login_link',
      ),
    );
    expect(rows.rows).toEqual([
      {
        token_hash: createHash('sha256').update(`${database}:${token}`).digest('hex'),
        uid: users.alice,
        created_by: OPERATOR,
      },
    ]);

    const first = await open(link.url);
    expect(first).toMatchObject({ status: 303, location: '/web' });
    expect(first.cookie).not.toBeNull();
    expect(await whoIs(urlA, first.cookie ?? '')).toBe('alice');
    const client = await fetch(`${urlA}/web`, {
      headers: { cookie: `session_id=${first.cookie ?? ''}` },
    });
    expect(await client.text()).toContain('"username": "alice"');

    const second = await open(link.url);
    expect(second.status).toBe(410);
    expect(second.cookie).toBeNull();
    expect(second.body).toContain(GONE);

    const log = await readFile(join(root, 'instances', A, 'odoo.log'), 'utf8');
    expect(log).toMatch(
      new RegExp(
        `INFO ${database} odoo\\.addons\\.ordo_connect\\.controllers\\.main: Ordo connect-as: ${OPERATOR} logged in as alice \\(uid ${users.alice}\\)`,
      ),
    );
    expect(log).toContain('refused an unknown, used or expired login link');
  });

  it('refuses a link after its expiry', async () => {
    const link = await createLink(A, { uid: users.alice });
    // Two minutes are too long to wait: the row is aged instead.
    await asSuperuser((await detail(A)).database, (client) =>
      client.query("UPDATE ordo_login_link SET expires_at = now() - interval '1 second'"),
    );
    const opened = await open(link.url);
    expect(opened.status).toBe(410);
    expect(opened.body).toContain(GONE);
    expect(opened.cookie).toBeNull();
  });

  it("does not open another instance's database, and stays usable where it belongs", async () => {
    const link = await createLink(A, { uid: 2 });
    const elsewhere = await open(link.url.replace(urlA, urlB));
    expect(elsewhere.status).toBe(410);
    expect(elsewhere.body).toContain(GONE);

    const home = await open(link.url);
    expect(home.status).toBe(303);
    expect(await whoIs(urlA, home.cookie ?? '')).toBe('admin');
  });

  it('sends Odoo 18 to /odoo', async () => {
    const link = await createLink(B, { uid: 2, login: 'admin' });
    const opened = await open(link.url);
    expect(opened).toMatchObject({ status: 303, location: '/odoo' });
    expect(await whoIs(urlB, opened.cookie ?? '')).toBe('admin');
  });

  it('refuses unknown, archived, portal and renamed users with a clear error', async () => {
    const post = (body: Record<string, unknown>) =>
      call(`/v1/instances/${A}/login-links`, {
        method: 'POST',
        body: JSON.stringify({ requestedBy: OPERATOR, ...body }),
      });
    await expectError(await post({ uid: 99_999 }), 404, 'not_found', /No Odoo user with id 99999/);
    await expectError(await post({ uid: users.gone }), 400, 'bad_request', /"former" .* archived/);
    await expectError(
      await post({ uid: users.portal }),
      400,
      'bad_request',
      /"portal.client" .* not an internal user/,
    );
    await expectError(
      await post({ uid: users.alice, login: 'bob' }),
      400,
      'bad_request',
      /is now "alice", not "bob"/,
    );
    const anonymous = await call(`/v1/instances/${A}/login-links`, {
      method: 'POST',
      body: JSON.stringify({ uid: users.alice }),
    });
    await expectError(anonymous, 400, 'bad_request', /^requestedBy: /);
    await expectError(
      await call('/v1/instances/nope/login-links', {
        method: 'POST',
        body: JSON.stringify({ uid: 2, requestedBy: OPERATOR }),
      }),
      404,
      'not_found',
      'No instance named "nope" on this server',
    );
  });

  it('adds the module to an older instance and restarts it once', async () => {
    // An instance created before Ordo shipped the module: odoo.conf without it.
    const confPath = join(root, 'instances', B, 'odoo.conf');
    const conf = await readFile(confPath, 'utf8');
    await writeFile(
      confPath,
      conf
        .replace(/^server_wide_modules = .*\n/m, '')
        .replace(`,${join(root, 'instances', B, 'ordo-addons')}`, ''),
    );
    const pidBefore = (await detail(B)).processes.find((p) => p.role === 'main')?.pid;

    const link = await createLink(B, { uid: 2 });
    expect(link.restarted).toBe(true);
    expect(await readFile(confPath, 'utf8')).toMatch(
      /^server_wide_modules = base,web,ordo_connect$/m,
    );
    const pidAfter = (await detail(B)).processes.find((p) => p.role === 'main')?.pid;
    expect(pidAfter).not.toBe(pidBefore);
    expect((await open(link.url)).status).toBe(303);

    expect((await createLink(B, { uid: 2 })).restarted).toBe(false);
  }, 120_000);

  it('refuses a link for a stopped instance', async () => {
    const stopped = await call(`/v1/instances/${A}/stop`, { method: 'POST' });
    expect(stopped.status).toBe(200);
    await expectError(
      await call(`/v1/instances/${A}/login-links`, {
        method: 'POST',
        body: JSON.stringify({ uid: 2, requestedBy: OPERATOR }),
      }),
      409,
      'conflict',
      `Instance "${A}" is stopped: start it before you connect as one of its users`,
    );
  });
});
