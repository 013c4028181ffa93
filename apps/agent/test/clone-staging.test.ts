import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateInstanceAccepted, InstanceDetail } from '@ordo/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentApp, type AgentConfig } from '../src';
import { readInstanceRecord } from '../src/instances/instance-store';
import { JobFailure } from '../src/jobs/job-failure';
import type { JobContext } from '../src/jobs/job-runner';
import { neutralizeDatabase } from '../src/restore/neutralize';
import { runProcess } from '../src/system/run-process';
import { asSuperuser, databaseChecksum, treeHashes } from './backup-support';
import { captureLogger, testConfig } from './helpers';
import {
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
let dropRole: () => Promise<void>;
let roleName = '';
/** Unique: instance names are database names, and other test files run alongside. */
const PROD = `cl_${Math.random().toString(36).slice(2, 10)}`;
const STAGING = `${PROD}-staging`;

const call = (path: string, init: RequestInit = {}) =>
  app.request(path, authed(config.token, init));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ordo-clone-'));
  root = join(dir, 'root');
  const role = await createPgRole();
  dropRole = role.drop;
  roleName = role.role;
  const range = testPortRange();
  config = {
    ...testConfig(root),
    odooGitUrl: await odooRepoUrl(dir, ['17.0']),
    pgUrl: role.url,
    publicHost: 'odoo.example.test',
    portRange: { from: range.from, to: range.to },
  };
  app = createAgentApp({ config, logger: captureLogger().logger, startedAt: new Date() });
  await installVersion(app, config.token);
  const accepted = await createInstance(app, config.token, { name: PROD, version: '17.0' });
  const created = await jobEnd(app, config.token, accepted.job.id, 120_000);
  if (created.state !== 'succeeded') throw new Error(JSON.stringify(created.error));
}, 240_000);

afterAll(async () => {
  await killOdoosUnder(root);
  await dropRole();
  await rm(dir, { recursive: true, force: true });
});

async function detail(name: string): Promise<InstanceDetail> {
  const response = await call(`/v1/instances/${name}`);
  expect(response.status).toBe(200);
  return InstanceDetail.parse(await response.json());
}

function parameter(database: string, key: string): Promise<string | undefined> {
  return asSuperuser(database, async (client) => {
    const result = await client.query<{ value: string }>(
      'SELECT value FROM ir_config_parameter WHERE key = $1',
      [key],
    );
    return result.rows[0]?.value;
  });
}

describe('clone to staging', () => {
  it('copies production live into a sanitised staging instance; production is untouched', async () => {
    const production = await detail(PROD);
    const prodDb = production.database;
    await asSuperuser(prodDb, async (client) => {
      await client.query(
        "INSERT INTO ir_mail_server (name, smtp_host, active) VALUES ('Real SMTP', 'smtp.example.com', true)",
      );
      await client.query('UPDATE ir_cron SET active = true');
    });
    const prodFilestore = join(root, 'instances', PROD, 'data', 'filestore', prodDb);
    const before = {
      rows: await databaseChecksum(prodDb),
      files: await treeHashes(prodFilestore),
      mainPid: production.processes.find((process) => process.role === 'main')?.pid,
      uuid: await parameter(prodDb, 'database.uuid'),
    };

    const response = await call(`/v1/instances/${PROD}/clone`, {
      method: 'POST',
      body: JSON.stringify({ name: STAGING }),
    });
    expect(response.status, await response.clone().text()).toBe(202);
    const accepted = CreateInstanceAccepted.parse(await response.json());
    expect(accepted.job).toMatchObject({ kind: 'instance.clone', target: STAGING });
    const job = await jobEnd(app, config.token, accepted.job.id, 180_000);
    expect(job.state, `${JSON.stringify(job.error)}\n${await jobLog(root, job.id)}`).toBe(
      'succeeded',
    );

    const staging = await detail(STAGING);
    expect(staging).toMatchObject({ type: 'staging', parent: PROD, status: 'running' });
    expect(await answersHttp(staging.httpPort ?? 0)).toBe(200);
    const db = staging.database;
    const sanitised = await asSuperuser(db, async (client) => ({
      activeMail: (await client.query('SELECT 1 FROM ir_mail_server WHERE active')).rowCount,
      activeCrons: (
        await client.query<{ name: string }>(
          `SELECT d.name FROM ir_cron c JOIN ir_model_data d ON d.model = 'ir.cron' AND d.res_id = c.id
            WHERE c.active ORDER BY d.name`,
        )
      ).rows.map((row) => row.name),
      partners: (await client.query('SELECT 1 FROM res_partner')).rowCount,
    }));
    expect(sanitised.activeMail).toBe(0);
    expect(sanitised.activeCrons.every((name) => name === 'autovacuum_job')).toBe(true);
    expect(await parameter(db, 'database.is_neutralized')).toBe('true');
    expect(await parameter(db, 'database.uuid')).not.toBe(before.uuid);
    expect(await parameter(db, 'web.base.url')).toBe(
      `http://odoo.example.test:${staging.httpPort}`,
    );
    expect(await parameter(db, 'web.base.url.freeze')).toBe('True');
    expect(await treeHashes(join(root, 'instances', STAGING, 'data', 'filestore', db))).toEqual(
      before.files,
    );

    const after = await detail(PROD);
    expect(after.status).toBe('running');
    expect(before.mainPid).toBeDefined();
    expect(after.processes.find((process) => process.role === 'main')?.pid).toBe(before.mainPid);
    expect(await databaseChecksum(prodDb)).toBe(before.rows);
    expect(await treeHashes(prodFilestore)).toEqual(before.files);
    // Production kept its active mail servers (the checksum above covers every row too).
    expect(
      await asSuperuser(
        prodDb,
        async (client) =>
          (await client.query('SELECT 1 FROM ir_mail_server WHERE active')).rowCount,
      ),
    ).toBeGreaterThan(0);
  }, 300_000);

  it("fails neutralization with Odoo's own reason, read from the logfile", async () => {
    // `odoo-bin neutralize` logs to odoo.conf's logfile, not stderr (odoo/cli/neutralize.py):
    // the reason of a failure is its CRITICAL line there. A database without Odoo's tables
    // makes it fail the way a broken neutralize.sql would.
    const empty = `${PROD}_empty`;
    await asSuperuser('postgres', (client) =>
      client.query(`CREATE DATABASE ${empty} OWNER ${roleName}`),
    );
    const found = await readInstanceRecord(root, PROD);
    if (found.kind !== 'found') throw new Error(`no record for ${PROD}`);
    const logged: string[] = [];
    const context: JobContext = {
      jobId: 'neutralize-test',
      signal: new AbortController().signal,
      log: (line) => logged.push(line),
      progress: () => {},
      run: (command, args, options) => runProcess(command, args, options),
    };
    const running = neutralizeDatabase({ root, env: process.env }, found.record, empty, context);
    // Production keeps running and logging to the same file meanwhile.
    const port = (await detail(PROD)).httpPort ?? 0;
    for (let i = 0; i < 5; i += 1) expect(await answersHttp(port)).toBe(200);
    const failure = await running.then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(JobFailure);
    expect((failure as JobFailure).message).toMatch(
      new RegExp(`^Neutralizing ${empty} failed \\(exit 1\\): .*THE DATABASE IS NOT NEUTRALIZED!`),
    );
    expect(logged.some((line) => / CRITICAL \S+ odoo\.cli\.neutralize: /.test(line))).toBe(true);
    // Only the neutralize process's lines reach the job log, not production's requests.
    const pids = new Set(logged.map((line) => /^\S+ \S+ (\d+) /.exec(line)?.[1]).filter(Boolean));
    expect(pids.size).toBe(1);
  }, 60_000);

  it('refuses a taken name, an unknown source and a staging source', async () => {
    await expectError(
      await call(`/v1/instances/${PROD}/clone`, {
        method: 'POST',
        body: JSON.stringify({ name: STAGING }),
      }),
      409,
      'conflict',
      `An instance named "${STAGING}" already exists on this server`,
    );
    await expectError(
      await call('/v1/instances/nope/clone', {
        method: 'POST',
        body: JSON.stringify({ name: 'x' }),
      }),
      404,
      'not_found',
      'No instance named "nope" on this server',
    );
    await expectError(
      await call(`/v1/instances/${STAGING}/clone`, {
        method: 'POST',
        body: JSON.stringify({ name: `${PROD}-s2` }),
      }),
      409,
      'conflict',
      `"${STAGING}" is a staging instance; a staging instance's parent must be a production instance`,
    );
  }, 60_000);
});
