import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  backupDownloadPath,
  PanelApiErrorBody,
  restoreUploadPath,
  RestoreUploadResult,
  type BackupView,
  type RestoreOptions,
  type ServerView,
} from '@ordo/protocol/panel';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectTrpcError } from './helpers/expect-trpc-error';
import { createUser, fakeToken } from './helpers/fixtures';
import { collectJobLog } from './helpers/job-log';
import { addServer, createInstance, installVersion } from './helpers/managed-server';
import { startOdooTestAgent, type OdooTestAgent } from './helpers/odoo-agent';
import { databaseUrl } from './helpers/pg-admin';
import { ADMIN, startTestControl, type TestClient, type TestControl } from './helpers/test-control';

const run = promisify(execFile);
const JOB_MS = 120_000;
const DEFAULTS: RestoreOptions = {
  neutralize: false,
  resetAdminPassword: false,
  safetyBackup: true,
  copy: false,
};

describe('backups and restore through the control plane', () => {
  let control: TestControl;
  let admin: TestClient;
  let agent: OdooTestAgent;
  let server: ServerView;
  let ref: { serverId: string; name: string };
  let database: string;
  let dir: string;
  let backup: BackupView;
  let backupFile: string;
  /** Session cookies of accounts other than the admin, by email. */
  const cookies = new Map<string, string>();

  const origin = () => new URL(control.url).origin;
  const adminCookie = () => `ordo_session=${admin.cookies.get('ordo_session') ?? ''}`;

  async function signIn(email: string, password: string): Promise<string> {
    const client = control.client();
    await client.trpc.auth.login.mutate({ email, password });
    return `ordo_session=${client.cookies.get('ordo_session') ?? ''}`;
  }

  function download(
    backupRef: { serverId: string; name: string; backupId: string },
    cookie: string | null = adminCookie(),
  ): Promise<Response> {
    return fetch(`${control.url}${backupDownloadPath(backupRef)}`, {
      headers: cookie === null ? {} : { cookie },
    });
  }

  function restore(
    body: Buffer | ReadableStream<Uint8Array>,
    options: {
      cookie?: string | null;
      origin?: string | null;
      query?: RestoreOptions;
      headers?: Record<string, string>;
      target?: { serverId: string; name: string };
    } = {},
  ): Promise<Response> {
    const cookie = options.cookie === undefined ? adminCookie() : options.cookie;
    const from = options.origin === undefined ? origin() : options.origin;
    return fetch(
      `${control.url}${restoreUploadPath(options.target ?? ref, options.query ?? DEFAULTS)}`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/zip',
          ...(cookie === null ? {} : { cookie }),
          ...(from === null ? {} : { origin: from }),
          ...options.headers,
        },
        body,
        duplex: 'half',
        // Like the agent client: no request clone, so no tee holding the body (undici#4058).
        redirect: 'error',
        window: null,
      },
    );
  }

  async function expectApiError(
    response: Response,
    status: number,
    code: string,
    message: string | RegExp,
  ): Promise<void> {
    const body = PanelApiErrorBody.parse(await response.json());
    expect({ status: response.status, code: body.error.code }).toEqual({ status, code });
    if (typeof message === 'string') expect(body.error.message).toBe(message);
    else expect(body.error.message).toMatch(message);
  }

  /** Rows of the instance's partners: what a restore puts back and a refused one keeps. */
  async function partnerNames(): Promise<string[]> {
    const client = new pg.Client({ connectionString: databaseUrl(database) });
    await client.connect();
    try {
      const result = await client.query<{ name: string }>(
        'SELECT name FROM res_partner ORDER BY id',
      );
      return result.rows.map((row) => row.name);
    } finally {
      await client.end();
    }
  }

  async function addPartner(name: string): Promise<void> {
    const client = new pg.Client({ connectionString: databaseUrl(database) });
    await client.connect();
    try {
      await client.query('INSERT INTO res_partner (name) VALUES ($1)', [name]);
    } finally {
      await client.end();
    }
  }

  async function uploadsOnAgent(): Promise<string[]> {
    return readdir(join(agent.root, 'uploads')).catch(() => []);
  }

  async function auditEntries(action: string) {
    return control.deps.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', action)
      .orderBy('at')
      .execute();
  }

  beforeAll(async () => {
    [control, agent] = await Promise.all([startTestControl(), startOdooTestAgent()]);
    dir = await mkdtemp(join(tmpdir(), 'ordo-control-backups-'));
    admin = await control.signedInClient();
    server = await addServer(admin, agent);
    ref = { serverId: server.id, name: 'shop' };
    await installVersion(admin, server.id);
    await createInstance(admin, ref);
    database = (await admin.trpc.instances.config.get.query(ref)).managed.dbName;
    await createInstance(admin, {
      serverId: server.id,
      name: 'shop-test',
      type: 'staging',
      parent: 'shop',
    });

    const other = await addServer(
      admin,
      { url: 'http://127.0.0.1:9', token: fakeToken() },
      'elsewhere',
    );
    const accounts = [
      { email: 'viewer@example.com', role: 'viewer' as const },
      { email: 'developer@example.com', role: 'developer' as const },
      { email: 'limited@example.com', role: 'admin' as const, serverId: other.id },
    ];
    for (const account of accounts) {
      const password = `${account.role} password 123`;
      await createUser(control.deps.db, { ...account, password });
      cookies.set(account.email, await signIn(account.email, password));
    }
  }, 180_000);

  afterAll(async () => {
    await control?.close();
    await agent?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('lists no backups for a new instance', async () => {
    expect(await admin.trpc.backups.list.query(ref)).toEqual([]);
  });

  it(
    'creates a backup as a mirrored job, then lists it with who asked for it',
    async () => {
      await addPartner('Before the backup');
      const { job } = await admin.trpc.backups.create.mutate(ref);
      expect(job).toMatchObject({
        kind: 'backup.create',
        target: 'shop',
        serverId: server.id,
        requestedBy: ADMIN.email,
      });
      const events = await collectJobLog(admin.trpc, { id: job.id });
      expect(events.at(-1)).toMatchObject({ type: 'end', job: { state: 'succeeded' } });

      const backups = await admin.trpc.backups.list.query(ref);
      expect(backups).toHaveLength(1);
      backup = backups[0] as BackupView;
      expect(backup).toMatchObject({
        serverId: server.id,
        instance: 'shop',
        requestedBy: ADMIN.email,
      });
      expect(backup.size).toBeGreaterThan(0);
      expect(backup.sha256).toMatch(/^[0-9a-f]{64}$/);

      const [entry] = await auditEntries('backups.create');
      expect(entry).toMatchObject({ result: 'ok', user_email: ADMIN.email });
      const linked = await control.deps.db
        .selectFrom('jobs')
        .select('audit_id')
        .where('id', '=', job.id)
        .executeTakeFirstOrThrow();
      expect(linked.audit_id).toBe(entry?.id);
    },
    JOB_MS,
  );

  it('streams the download through with its size, type and Odoo file name: the exact bytes', async () => {
    const response = await download({ ...ref, backupId: backup.id });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-length')).toBe(String(backup.size));
    const stamp = backup.createdAt.slice(0, 19).replace('T', '_').replaceAll(':', '-');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="${database}_${stamp}.zip"`,
    );
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.length).toBe(backup.size);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(backup.sha256);
    backupFile = join(dir, 'shop.zip');
    await writeFile(backupFile, bytes);
    const { stdout } = await run('unzip', ['-Z1', backupFile]);
    expect(stdout.split('\n')).toEqual(expect.arrayContaining(['dump.sql', 'manifest.json']));

    const [entry] = await auditEntries('backups.download');
    expect(entry).toMatchObject({ result: 'ok', user_email: ADMIN.email });
    expect(entry?.target).toContain('name=shop');
  });

  it('refuses a backup asked for under another instance, and unknown ones', async () => {
    // A developer may operate the staging instance: naming it does not reach production's backup.
    const staged = { ...ref, name: 'shop-test', backupId: backup.id };
    const notHere = `No backup ${backup.id} of instance "shop-test" on this server`;
    await expectApiError(await download(staged), 404, 'not_found', notHere);
    await expectApiError(
      await download(staged, cookies.get('developer@example.com') ?? null),
      404,
      'not_found',
      notHere,
    );
    await expectApiError(
      await download({ ...ref, backupId: 'not-an-id' }),
      400,
      'bad_request',
      'backupId: Backup id must look like b_0m8k2q3x1_4f9a0b2c7d',
    );
  });

  it(
    'restores the downloaded file through the control route: the job succeeds, data is back',
    async () => {
      await addPartner('After the backup');
      expect(await partnerNames()).toContain('After the backup');
      const response = await restore(await readFile(backupFile), {
        query: { ...DEFAULTS, resetAdminPassword: true },
      });
      expect(response.status).toBe(202);
      const result = RestoreUploadResult.parse(await response.json());
      expect(result.job).toMatchObject({
        kind: 'backup.restore',
        target: 'shop',
        requestedBy: ADMIN.email,
      });
      expect(result.adminPassword?.length).toBeGreaterThanOrEqual(16);
      const events = await collectJobLog(admin.trpc, { id: result.job.id });
      expect(events.at(-1)).toMatchObject({ type: 'end', job: { state: 'succeeded' } });

      const names = await partnerNames();
      expect(names).toContain('Before the backup');
      expect(names).not.toContain('After the backup');
      // The new password is kept encrypted, revealable like the ones of creation, never logged.
      const revealed = await admin.trpc.instances.revealSecret.mutate({ ...ref, secret: 'admin' });
      expect(revealed.value).toBe(result.adminPassword);
      expect(control.logs.text()).not.toContain(result.adminPassword);
      const [entry] = await auditEntries('backups.restore');
      expect(entry).toMatchObject({ result: 'ok', user_email: ADMIN.email });
      expect(JSON.stringify(entry?.params)).not.toContain(result.adminPassword);
      const instances = await admin.trpc.instances.list.query({ serverId: server.id });
      expect(instances.find((i) => i.name === 'shop')).toMatchObject({ status: 'running' });
      // The safety backup taken before the swap is listed too, made by the agent.
      expect((await admin.trpc.backups.list.query(ref)).length).toBe(2);
      expect(await uploadsOnAgent()).toEqual([]);
    },
    JOB_MS,
  );

  it(
    "answers a bad ZIP with the agent's own error, the instance unchanged",
    async () => {
      const before = await partnerNames();
      const zip = join(dir, 'nodump.zip');
      await writeFile(join(dir, 'readme.txt'), 'not a backup');
      await run('zip', ['-j', zip, join(dir, 'readme.txt')]);
      await expectApiError(
        await restore(await readFile(zip)),
        400,
        'bad_request',
        'The archive has no dump.sql: it is not an Odoo backup',
      );
      await expectApiError(
        await restore(Buffer.from('PK this is no zip at all')),
        400,
        'bad_request',
        /^The file is not a readable ZIP archive/,
      );
      await expectApiError(
        await restore(Buffer.from('x'), { headers: { 'content-type': 'text/plain' } }),
        400,
        'bad_request',
        'Send the backup as the raw body with Content-Type application/zip or application/octet-stream',
      );
      expect(await partnerNames()).toEqual(before);
      const instances = await admin.trpc.instances.list.query({ serverId: server.id });
      expect(instances.find((i) => i.name === 'shop')).toMatchObject({ status: 'running' });
      expect(await uploadsOnAgent()).toEqual([]);
    },
    JOB_MS,
  );

  it('enforces its own upload limit, from Content-Length and while streaming', async () => {
    control.deps.maxUploadBytes = 1024;
    try {
      const limit =
        'The upload is larger than the control plane accepts (1024 bytes, ORDO_MAX_UPLOAD_BYTES)';
      await expectApiError(await restore(Buffer.alloc(4096, 1)), 413, 'payload_too_large', limit);
      // No Content-Length: the bytes are counted as they pass.
      const chunks = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < 8; i += 1) controller.enqueue(new Uint8Array(512).fill(80));
          controller.close();
        },
      });
      await expectApiError(await restore(chunks), 413, 'payload_too_large', limit);
      expect(await uploadsOnAgent()).toEqual([]);
      // A refused upload is the sender's fault: the server stays active.
      const listed = await admin.trpc.servers.list.query();
      expect(listed.find((s) => s.id === server.id)).toMatchObject({ status: 'active' });
    } finally {
      delete control.deps.maxUploadBytes;
    }
  });

  it('streams a large upload through without holding it in memory', async () => {
    const total = 512 * 1024 ** 2;
    // Not a ZIP (the agent refuses it once received), in 1 MiB chunks made as they are read.
    const chunk = new Uint8Array(1024 ** 2).fill(65);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= total) {
          controller.close();
          return;
        }
        controller.enqueue(chunk.slice());
        sent += chunk.length;
      },
    });
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    try {
      await expectApiError(
        await restore(body),
        400,
        'bad_request',
        'The file is neither a ZIP backup nor a custom-format dump (.dump)',
      );
    } finally {
      clearInterval(sampler);
    }
    expect(sent).toBe(total);
    // Sender, control plane and agent share this process: a buffered copy would add 512 MiB.
    expect(peak - before).toBeLessThan(160 * 1024 ** 2);
    expect(await uploadsOnAgent()).toEqual([]);
  }, 120_000);

  it('streams a large download through without holding it in memory', async () => {
    // A 512 MiB backup put where the agent keeps them (<root>/backups/<instance>/<id>.zip + record).
    const id = 'b_000000001_largebacku';
    const dirOfShop = join(agent.root, 'backups', 'shop');
    const zip = join(dirOfShop, `${id}.zip`);
    await mkdir(dirOfShop, { recursive: true });
    const block = Buffer.alloc(1024 ** 2, 66);
    const hash = createHash('sha256');
    const file = createWriteStream(zip);
    for (let i = 0; i < 512; i += 1) {
      hash.update(block);
      if (!file.write(block)) await once(file, 'drain');
    }
    file.end();
    await once(file, 'finish');
    const size = 512 * 1024 ** 2;
    const sha256 = hash.digest('hex');
    await writeFile(
      join(dirOfShop, `${id}.json`),
      JSON.stringify({ id, instance: 'shop', createdAt: new Date().toISOString(), size, sha256 }),
    );
    try {
      const before = process.memoryUsage().rss;
      let peak = before;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
      }, 20);
      const received = createHash('sha256');
      let length = 0;
      try {
        const response = await download({ ...ref, backupId: id });
        expect(response.headers.get('content-length')).toBe(String(size));
        const body: ReadableStream<Uint8Array> | null = response.body;
        const reader = body?.getReader();
        for (let read = await reader?.read(); read && !read.done; read = await reader?.read()) {
          received.update(read.value);
          length += read.value.byteLength;
        }
      } finally {
        clearInterval(sampler);
      }
      expect({ length, sha256: received.digest('hex') }).toEqual({ length: size, sha256 });
      expect(peak - before).toBeLessThan(160 * 1024 ** 2);
    } finally {
      await admin.trpc.backups.remove.mutate({ ...ref, backupId: id });
    }
  }, 120_000);

  it('refuses the HTTP routes without a session, from another site, to a role or server not allowed', async () => {
    const backupRef = { ...ref, backupId: backup.id };
    await expectApiError(await download(backupRef, null), 401, 'unauthorized', 'Sign in first');
    await expectApiError(
      await restore(Buffer.from('x'), { cookie: null }),
      401,
      'unauthorized',
      'Sign in first',
    );
    await expectApiError(
      await restore(Buffer.from('x'), { origin: 'http://evil.example' }),
      403,
      'forbidden',
      'Request refused: it came from http://evil.example, not from the Ordo panel',
    );
    await expectApiError(
      await restore(Buffer.from('x'), { origin: null }),
      403,
      'forbidden',
      'Request refused: a signed-in request must say where it comes from (Origin header)',
    );
    for (const email of ['viewer@example.com', 'developer@example.com']) {
      const cookie = cookies.get(email) ?? null;
      const role = email.startsWith('viewer') ? 'Viewer' : 'Developer';
      const message = `Your role (${role}) cannot operate production instances`;
      await expectApiError(await download(backupRef, cookie), 403, 'forbidden', message);
      await expectApiError(await restore(Buffer.from('x'), { cookie }), 403, 'forbidden', message);
    }
    const limited = cookies.get('limited@example.com') ?? null;
    const elsewhere = 'Your account is limited to the server elsewhere';
    await expectApiError(await download(backupRef, limited), 403, 'forbidden', elsewhere);
    await expectApiError(
      await restore(Buffer.from('x'), { cookie: limited }),
      403,
      'forbidden',
      elsewhere,
    );
    // Refusals of signed-in users are in the audit log.
    const refused = (await auditEntries('backups.restore')).filter(
      (entry) => entry.result === 'error' && entry.error_code === 'FORBIDDEN',
    );
    expect(refused.length).toBe(3);
  });

  it('deletes a backup; the viewer may list backups but not delete them', async () => {
    const viewer = await createViewerClient();
    expect((await viewer.trpc.backups.list.query(ref)).map((b) => b.id)).toContain(backup.id);
    await expectTrpcError(viewer.trpc.backups.remove.mutate({ ...ref, backupId: backup.id }), {
      code: 'FORBIDDEN',
      status: 403,
      message: 'Your role (Viewer) cannot operate production instances',
    });
    await expectTrpcError(
      admin.trpc.backups.remove.mutate({ ...ref, name: 'shop-test', backupId: backup.id }),
      {
        code: 'NOT_FOUND',
        status: 404,
        message: `No backup ${backup.id} of instance "shop-test" on this server`,
      },
    );
    expect(await admin.trpc.backups.remove.mutate({ ...ref, backupId: backup.id })).toEqual({
      ok: true,
    });
    const left = await admin.trpc.backups.list.query(ref);
    expect(left.map((b) => b.id)).not.toContain(backup.id);
    await expectApiError(
      await download({ ...ref, backupId: backup.id }),
      404,
      'not_found',
      `No backup ${backup.id} of instance "shop" on this server`,
    );
    // The large download's clean-up, the viewer's refusal, the wrong instance, then the deletion.
    expect((await auditEntries('backups.remove')).map((e) => [e.user_email, e.result])).toEqual([
      [ADMIN.email, 'ok'],
      ['viewer@example.com', 'error'],
      [ADMIN.email, 'error'],
      [ADMIN.email, 'ok'],
    ]);
  });

  async function createViewerClient(): Promise<TestClient> {
    const client = control.client();
    await client.trpc.auth.login.mutate({
      email: 'viewer@example.com',
      password: 'viewer password 123',
    });
    return client;
  }
});
