import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BackupList,
  InstanceDetail,
  JobAccepted,
  RestoreAccepted,
  type Backup,
  type Job,
} from '@ordo/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentApp, type AgentConfig } from '../src';
import { verifyOdooPassword } from '../src/odoo/password-hash';
import {
  asSuperuser,
  databaseChecksum,
  pythonExtract,
  pythonZip,
  run,
  treeHashes,
  zipListing,
} from './backup-support';
import { captureLogger, testConfig } from './helpers';
import {
  adminUser,
  answersHttp,
  authed,
  createInstance,
  createPgRole,
  expectError,
  installVersion,
  jobEnd,
  jobLog,
  killOdoosUnder,
  testPortRange,
  type TestApp,
} from './instance-support';
import { odooRepoUrl } from './odoo-support';

let dir: string;
let root: string;
let config: AgentConfig;
let app: TestApp;
/** The same agent with tiny archive bounds, for the zip-bomb and upload-limit cases. */
let strictApp: TestApp;
let dropRole: () => Promise<void>;
let database: string;
let filestore: string;
const scratchDatabases: string[] = [];
/** Unique: instance names are database names, and other test files run alongside. */
const NAME = `bk_${Math.random().toString(36).slice(2, 10)}`;

const call = (path: string, init: RequestInit = {}) =>
  app.request(path, authed(config.token, init));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ordo-backup-'));
  root = join(dir, 'root');
  const role = await createPgRole();
  dropRole = role.drop;
  const range = testPortRange();
  config = {
    ...testConfig(root),
    odooGitUrl: await odooRepoUrl(dir, ['17.0']),
    pgUrl: role.url,
    portRange: { from: range.from, to: range.to },
  };
  app = createAgentApp({ config, logger: captureLogger().logger, startedAt: new Date() });
  strictApp = createAgentApp({
    config,
    logger: captureLogger().logger,
    startedAt: new Date(),
    maxUploadBytes: 2 * 1024 * 1024,
    zipLimits: { maxEntries: 1000, maxUncompressedBytes: 20 * 1024 * 1024 },
  });
  await installVersion(app, config.token);
  const accepted = await createInstance(app, config.token, { name: NAME, version: '17.0' });
  const created = await jobEnd(app, config.token, accepted.job.id, 120_000);
  if (created.state !== 'succeeded') throw new Error(JSON.stringify(created.error));
  database = (await detail()).database;
  filestore = join(root, 'instances', NAME, 'data', 'filestore', database);
}, 240_000);

afterAll(async () => {
  await killOdoosUnder(root);
  for (const name of scratchDatabases) {
    await asSuperuser('postgres', (client) =>
      client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
    );
  }
  await dropRole();
  await rm(dir, { recursive: true, force: true });
});

async function detail(): Promise<InstanceDetail> {
  const response = await call(`/v1/instances/${NAME}`);
  expect(response.status).toBe(200);
  return InstanceDetail.parse(await response.json());
}

async function runBackup(): Promise<{ job: Job; backup: Backup }> {
  const response = await call(`/v1/instances/${NAME}/backups`, { method: 'POST' });
  expect(response.status, await response.clone().text()).toBe(202);
  const { job } = JobAccepted.parse(await response.json());
  const ended = await jobEnd(app, config.token, job.id, 120_000);
  expect(ended.state, JSON.stringify(ended.error)).toBe('succeeded');
  const list = BackupList.parse(await (await call(`/v1/instances/${NAME}/backups`)).json());
  const backup = list.backups[0];
  if (!backup) throw new Error('no backup listed');
  return { job: ended, backup };
}

async function download(backup: Backup, into: string): Promise<Response> {
  const response = await call(`/v1/backups/${backup.id}/download`);
  expect(response.status).toBe(200);
  await writeFile(into, Buffer.from(await response.arrayBuffer()));
  return response;
}

/** What must not change when a restore fails: rows, filestore bytes, the running process. */
async function snapshot() {
  const instance = await detail();
  return {
    rows: await databaseChecksum(database),
    files: await treeHashes(filestore),
    status: instance.status,
    mainPid: instance.processes.find((process) => process.role === 'main')?.pid,
  };
}

async function upload(
  body: Buffer | string,
  options: { query?: string; target?: TestApp; type?: string } = {},
): Promise<Response> {
  const data = typeof body === 'string' ? await readFile(body) : body;
  return (options.target ?? app).request(
    `/v1/instances/${NAME}/restore${options.query ?? ''}`,
    authed(config.token, {
      method: 'POST',
      body: data,
      headers: { 'content-type': options.type ?? 'application/zip' },
    }),
  );
}

/** The password the last restore answer carried (null unless resetAdminPassword). */
let lastAdminPassword: string | null = null;

async function restoreJob(response: Response): Promise<Job> {
  expect(response.status, await response.clone().text()).toBe(202);
  const { job, adminPassword } = RestoreAccepted.parse(await response.json());
  lastAdminPassword = adminPassword;
  expect(job).toMatchObject({ kind: 'backup.restore', target: NAME });
  return jobEnd(app, config.token, job.id, 180_000);
}

describe('backups', () => {
  it('writes an Odoo-format ZIP that Odoo’s restore logic loads to the same rows and files', async () => {
    await asSuperuser(database, (client) =>
      client.query("INSERT INTO res_partner (name, active) VALUES ('Backed Up Ltd', true)"),
    );
    const before = { rows: await databaseChecksum(database), files: await treeHashes(filestore) };
    expect(Object.keys(before.files).length).toBeGreaterThan(0);

    const { backup, job } = await runBackup();
    expect(job.kind).toBe('backup.create');
    expect(backup).toMatchObject({ instance: NAME });
    const zipPath = join(dir, 'download.zip');
    const response = await download(backup, zipPath);
    expect(response.headers.get('content-length')).toBe(String(backup.size));
    expect(response.headers.get('content-disposition')).toMatch(
      new RegExp(
        `^attachment; filename="${database}_\\d{4}-\\d\\d-\\d\\d_\\d\\d-\\d\\d-\\d\\d\\.zip"$`,
      ),
    );
    const { stdout: sum } = await run('sha256sum', [zipPath]);
    expect(sum.split(' ')[0]).toBe(backup.sha256);

    const listing = await zipListing(zipPath);
    expect(listing.names.slice(0, 2)).toEqual(['dump.sql', 'manifest.json']);
    expect(listing.names.filter((name) => name.startsWith('filestore/')).sort()).toEqual(
      Object.keys(before.files)
        .map((name) => `filestore/${name}`)
        .sort(),
    );
    const manifest = JSON.parse(listing.manifest) as Record<string, unknown>;
    expect(Object.keys(manifest)).toEqual([
      'odoo_dump',
      'db_name',
      'version',
      'version_info',
      'major_version',
      'pg_version',
      'modules',
    ]);
    expect(manifest).toMatchObject({
      odoo_dump: '1',
      db_name: database,
      version: '17.0',
      version_info: [17, 0, 0, 'final', 0, ''],
      major_version: '17.0',
      pg_version: '15.0',
    });
    expect(manifest.modules).toHaveProperty('base');
    expect(listing.manifest).toContain('\n    "odoo_dump": "1"');

    // Odoo's restore_db: extract dump.sql and filestore/, psql -f into a fresh database.
    const extracted = join(dir, 'odoo-restore');
    await pythonExtract(zipPath, extracted);
    const copy = `ordo_odoo_restore_${Date.now().toString(36)}`;
    scratchDatabases.push(copy);
    await asSuperuser('postgres', (client) =>
      client.query(`CREATE DATABASE "${copy}" ENCODING 'unicode' TEMPLATE template0`),
    );
    await run('psql', [
      '-X',
      '-q',
      '-h',
      '127.0.0.1',
      '-U',
      'postgres',
      '-d',
      copy,
      '-f',
      join(extracted, 'dump.sql'),
    ]);
    expect(await databaseChecksum(copy)).toBe(before.rows);
    expect(await treeHashes(join(extracted, 'filestore'))).toEqual(before.files);
  }, 180_000);

  it('deletes a backup, and answers 404 for unknown ones and 400 for malformed ids', async () => {
    const { backup } = await runBackup();
    const deleted = await call(`/v1/backups/${backup.id}`, { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toEqual({ ok: true });
    await expectError(
      await call(`/v1/backups/${backup.id}/download`),
      404,
      'not_found',
      `No backup ${backup.id} on this server`,
    );
    await expectError(
      await call('/v1/backups/..%2Fx/download'),
      400,
      'bad_request',
      'Backup id must look like b_0m8k2q3x1_4f9a0b2c7d',
    );
    await expectError(
      await call('/v1/instances/nope/backups', { method: 'POST' }),
      404,
      'not_found',
      'No instance named "nope" on this server',
    );
  }, 120_000);
});

describe('restore', () => {
  it('restores an Odoo-format ZIP made outside Ordo, swapping data and restarting', async () => {
    const work = join(dir, 'external');
    await mkdir(work, { recursive: true });
    await run('pg_dump', [
      '--no-owner',
      '-h',
      '127.0.0.1',
      '-U',
      'postgres',
      '-f',
      join(work, 'dump.sql'),
      database,
    ]);
    const files = await treeHashes(filestore);
    const rows = await databaseChecksum(database);
    const zipPath = join(work, 'odoo.zip');
    await pythonZip(zipPath, [
      { name: 'dump.sql', file: join(work, 'dump.sql') },
      {
        name: 'manifest.json',
        text: JSON.stringify({ odoo_dump: '1', db_name: database }, null, 4),
      },
      ...Object.keys(files).map((name) => ({
        name: `filestore/${name}`,
        file: join(filestore, name),
      })),
    ]);
    // Changes after the backup that the restore must undo.
    await asSuperuser(database, (client) =>
      client.query("INSERT INTO res_partner (name, active) VALUES ('After Backup', true)"),
    );
    await mkdir(join(filestore, 'zz'), { recursive: true });
    await writeFile(join(filestore, 'zz', 'later'), 'later');
    const before = await detail();
    expect(before.status).toBe('running');

    const job = await restoreJob(await upload(zipPath, { query: '?safetyBackup=true' }));
    expect(lastAdminPassword).toBeNull();
    expect(job.state, `${JSON.stringify(job.error)}\n${await jobLog(root, job.id)}`).toBe(
      'succeeded',
    );
    expect(await databaseChecksum(database)).toBe(rows);
    expect(await treeHashes(filestore)).toEqual(files);
    const after = await detail();
    expect(after.status).toBe('running');
    expect(await answersHttp(after.httpPort ?? 0)).toBe(200);
    const list = BackupList.parse(await (await call(`/v1/instances/${NAME}/backups`)).json());
    expect(list.backups[0]?.requestedBy).toBe(`safety backup before restore ${job.id}`);
    const leftovers = await asSuperuser('postgres', (client) =>
      client.query<{ datname: string }>(
        'SELECT datname FROM pg_database WHERE datname LIKE $1 AND datname <> $2',
        [`${database}%`, database],
      ),
    );
    expect(leftovers.rows).toEqual([]);
  }, 240_000);

  it('restores its own backup as a copy with a new uuid, neutralized', async () => {
    await asSuperuser(database, (client) =>
      client.query('UPDATE ir_mail_server SET active = true'),
    );
    const uuid = async () =>
      asSuperuser(database, async (client) => {
        const result = await client.query<{ value: string }>(
          "SELECT value FROM ir_config_parameter WHERE key = 'database.uuid'",
        );
        return result.rows[0]?.value;
      });
    const original = await uuid();
    const { backup } = await runBackup();
    const zipPath = join(dir, 'own.zip');
    await download(backup, zipPath);
    const job = await restoreJob(
      await upload(zipPath, {
        query: '?copy=true&neutralize=true&safetyBackup=false&resetAdminPassword=true',
      }),
    );
    expect(job.state, `${JSON.stringify(job.error)}\n${await jobLog(root, job.id)}`).toBe(
      'succeeded',
    );
    expect(lastAdminPassword).toMatch(/^[A-Za-z0-9]{20}$/);
    const admin = await adminUser(database);
    expect(await verifyOdooPassword(lastAdminPassword ?? '', admin.password)).toBe(true);
    expect(await jobLog(root, job.id)).not.toContain(lastAdminPassword ?? '');
    expect(await uuid()).not.toBe(original);
    const neutral = await asSuperuser(database, async (client) => ({
      flag: (
        await client.query<{ value: string }>(
          "SELECT value FROM ir_config_parameter WHERE key = 'database.is_neutralized'",
        )
      ).rows[0]?.value,
      activeMail: (await client.query('SELECT 1 FROM ir_mail_server WHERE active')).rowCount,
    }));
    expect(neutral).toEqual({ flag: 'true', activeMail: 0 });
    expect((await detail()).status).toBe('running');
  }, 240_000);

  describe('refuses bad uploads and leaves the instance as it was', () => {
    let dumpPath: string;
    beforeAll(async () => {
      dumpPath = join(dir, 'bad-base.sql');
      await run('pg_dump', [
        '--no-owner',
        '-h',
        '127.0.0.1',
        '-U',
        'postgres',
        '-f',
        dumpPath,
        database,
      ]);
    }, 60_000);

    async function zipOf(name: string, entries: Parameters<typeof pythonZip>[1]): Promise<string> {
      const path = join(dir, `${name}.zip`);
      await pythonZip(path, entries);
      return path;
    }

    const refusals: [string, () => Promise<Response>, string | RegExp][] = [
      [
        'a file that is no archive',
        () => upload(Buffer.from('hello, this is not a zip')),
        'The file is neither a ZIP backup nor a custom-format dump (.dump)',
      ],
      [
        'a corrupt ZIP',
        () => upload(Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(300, 7)])),
        /^The file is not a readable ZIP archive: /,
      ],
      [
        'a ZIP without dump.sql',
        async () => upload(await zipOf('nodump', [{ name: 'manifest.json', text: '{}' }])),
        'The archive has no dump.sql: it is not an Odoo backup',
      ],
      [
        'a ZIP with a ../ entry',
        async () =>
          upload(
            await zipOf('climb', [
              { name: 'dump.sql', file: dumpPath },
              { name: 'filestore/../../evil', text: 'x' },
            ]),
          ),
        /^The archive (entry "filestore\/\.\.\/\.\.\/evil" climbs out with "\.\."; refused|is unsafe or corrupt: .*)$/,
      ],
      [
        'a ZIP with an absolute entry',
        async () =>
          upload(
            await zipOf('absolute', [
              { name: 'dump.sql', file: dumpPath },
              { name: '/etc/evil', text: 'x' },
            ]),
          ),
        /^The archive (entry "\/etc\/evil" is an absolute path; refused|is unsafe or corrupt: .*)$/,
      ],
      [
        'a ZIP with a symlink entry',
        async () =>
          upload(
            await zipOf('symlink', [
              { name: 'dump.sql', file: dumpPath },
              { name: 'filestore/ab/link', text: '/etc/passwd', mode: 0o120777 },
            ]),
          ),
        'The archive entry "filestore/ab/link" is a symbolic link or device; refused',
      ],
      [
        'an unreadable manifest.json',
        async () =>
          upload(
            await zipOf('badmanifest', [
              { name: 'dump.sql', file: dumpPath },
              { name: 'manifest.json', text: '{not json' },
            ]),
          ),
        'manifest.json is not valid JSON',
      ],
      [
        'a dump from a newer PostgreSQL',
        async () =>
          upload(
            await zipOf('newer', [
              {
                name: 'dump.sql',
                text: '--\n-- PostgreSQL database dump\n--\n\n-- Dumped from database version 99.1\n-- Dumped by pg_dump version 99.1\n',
              },
            ]),
          ),
        "The dump comes from PostgreSQL 99, newer than this server's PostgreSQL 15: restore it on a server with PostgreSQL 99 or later",
      ],
      [
        'a zip bomb (declared sizes past the bound)',
        async () =>
          upload(
            await zipOf('bomb', [
              { name: 'dump.sql', file: dumpPath },
              { name: 'filestore/aa/zeros', zeros: 30 * 1024 * 1024 },
            ]),
            { target: strictApp },
          ),
        'The archive would inflate to more than 20971520 bytes; refused',
      ],
      [
        'the wrong content type',
        () => upload(Buffer.from('PK'), { type: 'text/plain' }),
        'Send the backup as the raw body with Content-Type application/zip or application/octet-stream',
      ],
      [
        'an unknown option value',
        () => upload(Buffer.from('PK'), { query: '?neutralize=maybe' }),
        'neutralize: must be true or false',
      ],
    ];

    it.each(refusals)(
      '%s',
      async (_case, send, message) => {
        const before = await snapshot();
        await expectError(await send(), 400, 'bad_request', message);
        expect(await snapshot()).toEqual(before);
      },
      120_000,
    );

    it('answers 413 for an upload over the limit and keeps no partial file', async () => {
      const before = await snapshot();
      await expectError(
        await upload(Buffer.alloc(3 * 1024 * 1024, 1), { target: strictApp }),
        413,
        'payload_too_large',
        'The upload is larger than this server accepts (2097152 bytes, ORDO_AGENT_MAX_UPLOAD_BYTES)',
      );
      const { stdout } = await run('find', [join(root, 'uploads'), '-type', 'f']).catch(() => ({
        stdout: '',
      }));
      expect(stdout).toBe('');
      expect(await snapshot()).toEqual(before);
    }, 60_000);

    it('fails the job on a dump with an SQL error mid-way, original data kept', async () => {
      const sql = await readFile(dumpPath, 'utf8');
      const middle = sql.indexOf('\nCREATE TABLE', sql.length / 2);
      const broken = `${sql.slice(0, middle)}\nSELECT 1/0;\n${sql.slice(middle)}`;
      const before = await snapshot();
      const job = await restoreJob(
        await upload(await zipOf('sqlerror', [{ name: 'dump.sql', text: broken }])),
      );
      expect(job.state).toBe('failed');
      expect(job.error?.code).toBe('restore_load_failed');
      expect(job.error?.message).toMatch(
        /^The backup could not be loaded: psql failed: .*division by zero/,
      );
      expect(await snapshot()).toEqual(before);
    }, 120_000);

    it('fails the job on an entry whose header lies about its size, original data kept', async () => {
      const path = await zipOf('liar', [
        { name: 'dump.sql', file: dumpPath },
        { name: 'filestore/aa/liar', text: 'A'.repeat(100_000) },
      ]);
      const bytes = await readFile(path);
      // Make both headers of the last entry declare 1000 bytes instead of 100000.
      for (const [signature, offset] of [
        [0x04034b50, 22],
        [0x02014b50, 24],
      ] as const) {
        let at = -1;
        for (let index = 0; index + 4 <= bytes.length; index++) {
          if (bytes.readUInt32LE(index) === signature) at = index;
        }
        bytes.writeUInt32LE(1000, at + offset);
      }
      const before = await snapshot();
      const job = await restoreJob(await upload(bytes));
      expect(job.state).toBe('failed');
      expect(job.error?.message).toMatch(
        /^The backup could not be loaded: .*(too many bytes|inflates past)/,
      );
      expect(await snapshot()).toEqual(before);
    }, 120_000);
  });
});
