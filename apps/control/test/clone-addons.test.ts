import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { ZipArchive } from 'archiver';
import { addonsUploadPath, PanelApiErrorBody, type ServerView } from '@ordo/protocol/panel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from './helpers/fixtures';
import { expectTrpcError } from './helpers/expect-trpc-error';
import { collectJobLog } from './helpers/job-log';
import { addServer, createInstance, installVersion } from './helpers/managed-server';
import { startOdooTestAgent, type OdooTestAgent } from './helpers/odoo-agent';
import { ADMIN, startTestControl, type TestClient, type TestControl } from './helpers/test-control';

const run = promisify(execFile);

const NAME_FORMAT =
  'Instance name must be 1-63 characters of lowercase letters, digits, "-" or "_", starting with a letter or digit';
/** The agent's upload limit in this file: small, so "too large" is cheap to reach. */
const AGENT_MAX_UPLOAD = 1024 * 1024;

type Entry = { name: string; text?: string; bytes?: Buffer };

/** A ZIP of modules as archiver streams it (it never exists whole before it is sent). */
function zipStream(entries: Entry[]): Readable {
  const archive = new ZipArchive({ zlib: { level: 6 } });
  for (const entry of entries) {
    archive.append(entry.bytes ?? Buffer.from(entry.text ?? ''), { name: entry.name });
  }
  void archive.finalize();
  return archive;
}

const manifest = (path: string) => ({
  name: path,
  text: "{'name': 'Test module', 'version': '17.0.1.0.0'}",
});

describe('clone to staging and addons upload through the control plane', () => {
  let control: TestControl;
  let admin: TestClient;
  let agent: OdooTestAgent;
  let server: ServerView;
  let dir: string;

  beforeAll(async () => {
    [control, agent] = await Promise.all([
      startTestControl(),
      startOdooTestAgent({ env: { ORDO_AGENT_MAX_UPLOAD_BYTES: String(AGENT_MAX_UPLOAD) } }),
    ]);
    dir = await mkdtemp(join(tmpdir(), 'ordo-clone-addons-'));
    admin = await control.signedInClient();
    server = await addServer(admin, agent);
    await installVersion(admin, server.id);
    await createInstance(admin, { serverId: server.id, name: 'shop' });
  }, 180_000);
  afterAll(async () => {
    await control.close();
    await agent.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function signIn(email: string, role: 'viewer' | 'developer'): Promise<TestClient> {
    const password = `${role} password 123`;
    await createUser(control.deps.db, { email, password, role });
    const client = control.client();
    await client.trpc.auth.login.mutate({ email, password });
    return client;
  }

  function cookieOf(client: TestClient): string {
    return `ordo_session=${client.cookies.get('ordo_session') ?? ''}`;
  }

  /** Posts a ZIP to the control plane's addons route like the panel (same-origin, cookie). */
  function upload(
    name: string,
    body: Readable | Buffer,
    options: { cookie?: string | null; origin?: string } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = {
      'content-type': 'application/zip',
      origin: options.origin ?? control.url,
    };
    const cookie = options.cookie === undefined ? cookieOf(admin) : options.cookie;
    if (cookie !== null) headers.cookie = cookie;
    return fetch(`${control.url}${addonsUploadPath(server.id, name)}`, {
      method: 'POST',
      headers,
      body: Buffer.isBuffer(body) ? body : (Readable.toWeb(body) as ReadableStream<Uint8Array>),
      duplex: 'half',
    });
  }

  async function expectRefusal(
    response: Response,
    status: number,
    error: { code: string; message: string | RegExp },
  ): Promise<void> {
    const body = PanelApiErrorBody.parse(await response.json());
    expect(response.status, JSON.stringify(body)).toBe(status);
    expect(body.error.code).toBe(error.code);
    if (typeof error.message === 'string') expect(body.error.message).toBe(error.message);
    else expect(body.error.message).toMatch(error.message);
  }

  const addonsDir = (name: string) => join(agent.root, 'instances', name, 'addons');

  /** Every file under the instance's addons folder with its content, to see nothing changed. */
  async function addonsSnapshot(name: string): Promise<Record<string, string>> {
    const snapshot: Record<string, string> = {};
    const entries = await readdir(addonsDir(name), { recursive: true, withFileTypes: true }).catch(
      () => [],
    );
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const path = join(entry.parentPath, entry.name);
      snapshot[path.slice(addonsDir(name).length + 1)] = await readFile(path, 'utf8');
    }
    return snapshot;
  }

  it('clones production to a staging instance listed under it, production untouched', async () => {
    const before = await agent.client.getInstance('shop');
    const { job, instance } = await admin.trpc.instances.clone.mutate({
      serverId: server.id,
      name: 'shop',
      stagingName: 'shop-staging',
    });
    expect(job).toMatchObject({
      kind: 'instance.clone',
      target: 'shop-staging',
      serverName: 'odoo1',
      requestedBy: ADMIN.email,
    });
    expect(instance).toMatchObject({
      name: 'shop-staging',
      type: 'staging',
      parent: 'shop',
      status: 'provisioning',
      hasSecrets: true,
      activeJob: expect.objectContaining({ id: job.id }) as unknown,
    });
    expect((await agent.client.getJob(job.id)).requestedBy).toBe(ADMIN.email);

    const events = await collectJobLog(admin.trpc, { id: job.id });
    expect(events.at(-1)).toMatchObject({ type: 'end', job: { state: 'succeeded' } });

    const listed = await admin.trpc.instances.list.query({ serverId: server.id });
    expect(listed).toEqual([
      expect.objectContaining({ name: 'shop', type: 'production', status: 'running' }),
      expect.objectContaining({
        name: 'shop-staging',
        type: 'staging',
        parent: 'shop',
        status: 'running',
        activeJob: null,
        hasSecrets: true,
      }),
    ]);
    const staging = listed[1];
    expect((await fetch(`http://127.0.0.1:${staging?.httpPort}/web/health`)).status).toBe(200);

    // Production kept running through the clone: the same Odoo process, still answering.
    const after = await agent.client.getInstance('shop');
    expect(after.status).toBe('running');
    const main = (detail: typeof before) => detail.processes.find((p) => p.role === 'main')?.pid;
    expect(main(before)).toEqual(expect.any(Number));
    expect(main(after)).toBe(main(before));
    expect((await fetch(`http://127.0.0.1:${after.httpPort}/web/health`)).status).toBe(200);

    // The staging passwords the agent sent once are stored, and differ from production's.
    const ref = { serverId: server.id, name: 'shop-staging' };
    const stagingAdmin = await admin.trpc.instances.revealSecret.mutate({
      ...ref,
      secret: 'admin',
    });
    const prodAdmin = await admin.trpc.instances.revealSecret.mutate({
      ...ref,
      name: 'shop',
      secret: 'admin',
    });
    expect(stagingAdmin.value.length).toBeGreaterThanOrEqual(16);
    expect(stagingAdmin.value).not.toBe(prodAdmin.value);
    expect(control.logs.text()).not.toContain(stagingAdmin.value);

    const [entry] = await admin.trpc.audit.list.query({ action: 'instances.clone' });
    expect(entry).toMatchObject({
      userEmail: ADMIN.email,
      result: 'ok',
      target: `serverId=${server.id} name=shop`,
      params: { serverId: server.id, name: 'shop', stagingName: 'shop-staging' },
      jobIds: [job.id],
    });
  }, 180_000);

  it('refuses a bad staging name, a taken one and a clone of a staging instance', async () => {
    const input = { serverId: server.id, name: 'shop' };
    await expectTrpcError(
      admin.trpc.instances.clone.mutate({ ...input, stagingName: 'Bad Name' }),
      {
        code: 'BAD_REQUEST',
        status: 400,
        message: NAME_FORMAT,
      },
    );
    await expectTrpcError(admin.trpc.instances.clone.mutate({ ...input, stagingName: 'shop' }), {
      code: 'CONFLICT',
      status: 409,
      message: 'An instance named "shop" already exists on odoo1',
    });
    await expectTrpcError(
      admin.trpc.instances.clone.mutate({ ...input, stagingName: 'shop-staging' }),
      {
        code: 'CONFLICT',
        status: 409,
        message: 'An instance named "shop-staging" already exists on odoo1',
      },
    );
    await expectTrpcError(
      admin.trpc.instances.clone.mutate({
        ...input,
        name: 'shop-staging',
        stagingName: 'shop-staging-2',
      }),
      {
        code: 'BAD_REQUEST',
        status: 400,
        message:
          '"shop-staging" is a staging instance: only production instances can be cloned to staging',
      },
    );
    await expectTrpcError(
      admin.trpc.instances.clone.mutate({ ...input, name: 'ghost', stagingName: 'ghost-test' }),
      {
        code: 'NOT_FOUND',
        status: 404,
        message: 'No instance "ghost" on this server: it may have been deleted',
      },
    );
    const developer = await signIn('dev@example.com', 'developer');
    await expectTrpcError(
      developer.trpc.instances.clone.mutate({ ...input, stagingName: 'dev-copy' }),
      {
        code: 'FORBIDDEN',
        status: 403,
        message: 'Your role (Developer) cannot operate production instances',
      },
    );
    // Nothing was left behind by the refusals.
    expect((await agent.client.listInstances()).instances.map((i) => i.name).sort()).toEqual([
      'shop',
      'shop-staging',
    ]);
  }, 60_000);

  it('uploads modules found at the root and nested, then reports them as updated', async () => {
    const first = await upload(
      'shop-staging',
      zipStream([
        manifest('root_mod/__manifest__.py'),
        { name: 'root_mod/models/thing.py', text: 'THING = 1\n' },
        manifest('repo/nested_mod/__manifest__.py'),
        manifest('a/b/deep_mod/__openerp__.py'),
        { name: 'README.md', text: 'not a module' },
      ]),
    );
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({
      added: ['deep_mod', 'nested_mod', 'root_mod'],
      updated: [],
    });
    expect((await readdir(addonsDir('shop-staging'))).sort()).toEqual([
      'deep_mod',
      'nested_mod',
      'root_mod',
    ]);
    expect(
      await readFile(join(addonsDir('shop-staging'), 'root_mod/models/thing.py'), 'utf8'),
    ).toBe('THING = 1\n');

    const second = await upload(
      'shop-staging',
      zipStream([manifest('root_mod/__manifest__.py'), { name: 'root_mod/new.py', text: 'NEW\n' }]),
    );
    expect(second.status).toBe(200);
    expect(await second.json()).toEqual({ added: [], updated: ['root_mod'] });
    expect((await readdir(join(addonsDir('shop-staging'), 'root_mod'))).sort()).toEqual([
      '__manifest__.py',
      'new.py',
    ]);

    // The agent restarted the instance; the mirror says how it is now.
    const [staging] = await admin.trpc.instances.list
      .query({ serverId: server.id })
      .then((all) => all.filter((i) => i.name === 'shop-staging'));
    expect(staging).toMatchObject({ status: 'running' });
    const [entry] = await admin.trpc.audit.list.query({ action: 'instances.uploadAddons' });
    expect(entry).toMatchObject({
      userEmail: ADMIN.email,
      result: 'ok',
      target: `serverId=${server.id} name=shop-staging`,
    });
  }, 120_000);

  it('refuses a ZIP with a ../ entry, one without modules and one too large: nothing changes', async () => {
    const before = await addonsSnapshot('shop-staging');
    const evil = join(dir, 'evil.zip');
    const entries = join(dir, 'evil.json');
    // archiver cleans entry names, so the hostile archive is written with Python's zipfile.
    await writeFile(
      entries,
      JSON.stringify([
        ['evil/__manifest__.py', '{}'],
        ['evil/../../../x.py', 'x'],
      ]),
    );
    await run('python3', [
      '-c',
      'import json,sys,zipfile\nz=zipfile.ZipFile(sys.argv[1],"w")\n[z.writestr(n,t) for n,t in json.load(open(sys.argv[2]))]\nz.close()',
      evil,
      entries,
    ]);
    await expectRefusal(await upload('shop-staging', await readFile(evil)), 400, {
      code: 'bad_request',
      message:
        /^The archive (entry "evil\/\.\.\/\.\.\/\.\.\/x\.py" climbs out with "\.\."; refused|is unsafe or corrupt: .*)$/,
    });

    await expectRefusal(
      await upload('shop-staging', zipStream([{ name: 'notes/readme.txt', text: 'hello' }])),
      400,
      {
        code: 'bad_request',
        message: 'The archive holds no Odoo module (no folder with __manifest__.py)',
      },
    );

    // Incompressible, so the streamed ZIP is over the agent's limit.
    await expectRefusal(
      await upload(
        'shop-staging',
        zipStream([
          manifest('big_mod/__manifest__.py'),
          { name: 'big_mod/static/blob.bin', bytes: randomBytes(2 * AGENT_MAX_UPLOAD) },
        ]),
      ),
      413,
      {
        code: 'payload_too_large',
        message: `The upload is larger than this server accepts (${AGENT_MAX_UPLOAD} bytes, ORDO_AGENT_MAX_UPLOAD_BYTES)`,
      },
    );

    expect(await addonsSnapshot('shop-staging')).toEqual(before);
    // An upload that broke is the upload's fault, not the agent's: the server stays active.
    const [listed] = await admin.trpc.servers.list.query();
    expect(listed).toMatchObject({ name: 'odoo1', status: 'active' });
    const refused = await admin.trpc.audit.list.query({
      action: 'instances.uploadAddons',
      result: 'error',
    });
    // Recorded with the codes a tRPC procedure would have: the audit log reads alike.
    expect(refused.map((e) => e.errorCode)).toEqual([
      'PAYLOAD_TOO_LARGE',
      'BAD_REQUEST',
      'BAD_REQUEST',
    ]);
  }, 120_000);

  it('refuses no session, a role that may not operate the instance and a foreign origin', async () => {
    const before = await addonsSnapshot('shop');
    const zip = () => zipStream([manifest('sneaky/__manifest__.py')]);

    await expectRefusal(await upload('shop', zip(), { cookie: null }), 401, {
      code: 'unauthorized',
      message: 'Sign in first',
    });
    const viewer = await signIn('viewer@example.com', 'viewer');
    await expectRefusal(await upload('shop-staging', zip(), { cookie: cookieOf(viewer) }), 403, {
      code: 'forbidden',
      message: 'Your role (Viewer) cannot operate staging instances',
    });
    const developer = control.client();
    await developer.trpc.auth.login.mutate({
      email: 'dev@example.com',
      password: 'developer password 123',
    });
    await expectRefusal(await upload('shop', zip(), { cookie: cookieOf(developer) }), 403, {
      code: 'forbidden',
      message: 'Your role (Developer) cannot operate production instances',
    });
    await expectRefusal(await upload('shop', zip(), { origin: 'https://evil.example' }), 403, {
      code: 'forbidden',
      message: 'Request refused: it came from https://evil.example, not from the Ordo panel',
    });

    expect(await addonsSnapshot('shop')).toEqual(before);
    // A developer may upload to staging: the permission follows the instance's type.
    const allowed = await upload('shop-staging', zipStream([manifest('dev_mod/__manifest__.py')]), {
      cookie: cookieOf(developer),
    });
    expect(allowed.status).toBe(200);
    expect(await allowed.json()).toEqual({ added: ['dev_mod'], updated: [] });
    const [refusal] = await admin.trpc.audit.list.query({
      action: 'instances.uploadAddons',
      result: 'error',
      search: 'viewer@example.com',
    });
    expect(refusal).toMatchObject({ role: 'viewer', errorCode: 'FORBIDDEN' });
  }, 120_000);
});
