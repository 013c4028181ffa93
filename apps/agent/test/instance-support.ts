import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  AgentErrorBody,
  CreateInstanceAccepted,
  JobAccepted,
  type CreateInstanceInput,
  type Job,
} from '@ordo/protocol';
import type { Hono } from 'hono';
import pg from 'pg';
import { expect } from 'vitest';
import type { AgentEnv } from '../src/app-env';
import { groupMembers, liveProcesses, readCmdline, signalGroup } from '../src/runtime/native/proc';
import { usesConf } from '../src/runtime/native/find-odoo';

export const ADMIN_PG_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

async function asAdmin<T>(
  work: (client: pg.Client) => Promise<T>,
  database = 'postgres',
): Promise<T> {
  const client = new pg.Client({
    host: '127.0.0.1',
    port: 5432,
    user: 'postgres',
    database,
  });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A PostgreSQL role for Odoo (LOGIN CREATEDB, not a superuser: Odoo refuses `postgres`), and
 * its URL for ORDO_AGENT_PG_URL. `drop` removes its databases and the role.
 */
export async function createPgRole(
  options: { createdb?: boolean } = {},
): Promise<{ role: string; url: string; drop: () => Promise<void> }> {
  const role = `ordo_test_${randomBytes(5).toString('hex')}`;
  const createdb = options.createdb ?? true;
  await asAdmin((client) =>
    client.query(`CREATE ROLE ${role} LOGIN ${createdb ? 'CREATEDB' : 'NOCREATEDB'}`),
  );
  return {
    role,
    url: `postgres://${role}@127.0.0.1:5432/postgres`,
    drop: async () => {
      const owned = await asAdmin((client) =>
        client.query<{ datname: string }>(
          'SELECT datname FROM pg_database WHERE datdba = (SELECT oid FROM pg_roles WHERE rolname = $1)',
          [role],
        ),
      );
      for (const { datname } of owned.rows) {
        await asAdmin((client) =>
          client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(datname)} WITH (FORCE)`),
        );
      }
      await asAdmin((client) => client.query(`DROP ROLE IF EXISTS ${role}`));
    },
  };
}

export async function databaseExists(name: string): Promise<boolean> {
  const result = await asAdmin((client) =>
    client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]),
  );
  return result.rowCount === 1;
}

/** The admin user row of an instance database, read as PostgreSQL's superuser. */
export async function adminUser(database: string): Promise<{ login: string; password: string }> {
  const result = await asAdmin(
    (client) =>
      client.query<{ login: string; password: string }>(
        'SELECT login, password FROM res_users WHERE id = 2',
      ),
    database,
  );
  const row = result.rows[0];
  if (!row) throw new Error(`no admin user in ${database}`);
  return row;
}

/** A port range of `size` ports unlikely to clash with other test files running alongside. */
export function testPortRange(size = 40): { from: number; to: number; env: string } {
  const from = 20_000 + Math.floor(Math.random() * 1000) * 40;
  return { from, to: from + size - 1, env: `${from}-${from + size - 1}` };
}

/** Main Odoo processes (process-group leaders) started with this odoo.conf. */
export async function odooLeaders(confPath: string): Promise<number[]> {
  const leaders: number[] = [];
  for (const stat of await liveProcesses()) {
    if (stat.pgrp === stat.pid && usesConf(await readCmdline(stat.pid), confPath)) {
      leaders.push(stat.pid);
    }
  }
  return leaders;
}

/** Kills every Odoo started from under `root` (a test's last resort in afterAll). */
export async function killOdoosUnder(root: string): Promise<void> {
  for (const stat of await liveProcesses()) {
    if (stat.pgrp !== stat.pid) continue;
    const args = await readCmdline(stat.pid);
    if (args.some((arg) => arg.startsWith(`${root}/`))) signalGroup(stat.pid, 'SIGKILL');
  }
}

export async function groupSize(pid: number): Promise<number> {
  return (await groupMembers(pid)).length;
}

/** Whether something accepts HTTP on the port (any status). */
export async function answersHttp(port: number, path = '/web/health'): Promise<number | null> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, {
      signal: AbortSignal.timeout(2000),
    });
    await response.body?.cancel();
    return response.status;
  } catch {
    return null;
  }
}

export type TestApp = Hono<AgentEnv>;

export function authed(token: string, init: RequestInit = {}): RequestInit {
  return {
    ...init,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      ...(init.headers as Record<string, string> | undefined),
    },
  };
}

/** An error answer: its status and body, checked against the protocol. */
export async function expectError(
  response: Response,
  status: number,
  code: string,
  message: string | RegExp,
): Promise<void> {
  const body = AgentErrorBody.parse(await response.json());
  expect({ status: response.status, code: body.error.code }).toEqual({ status, code });
  if (typeof message === 'string') expect(body.error.message).toBe(message);
  else expect(body.error.message).toMatch(message);
}

export async function createInstance(
  app: TestApp,
  token: string,
  input: CreateInstanceInput,
): Promise<CreateInstanceAccepted> {
  const response = await app.request(
    '/v1/instances',
    authed(token, { method: 'POST', body: JSON.stringify(input) }),
  );
  if (response.status !== 202)
    throw new Error(`create: ${response.status} ${await response.text()}`);
  return CreateInstanceAccepted.parse(await response.json());
}

/** Polls the job until it ends. */
export async function jobEnd(
  app: TestApp,
  token: string,
  id: string,
  timeoutMs = 60_000,
): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await app.request(`/v1/jobs/${id}`, authed(token));
    const job = JobAccepted.shape.job.parse(await response.json());
    if (['succeeded', 'failed', 'cancelled'].includes(job.state)) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${job.state}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function jobLog(root: string, id: string): Promise<string> {
  return readFile(join(root, 'jobs', `${id}.log`), 'utf8');
}

/** Installs Odoo `version` through the real `version.install` job. */
export async function installVersion(app: TestApp, token: string, version = '17.0'): Promise<void> {
  const response = await app.request(
    '/v1/versions',
    authed(token, { method: 'POST', body: JSON.stringify({ version, edition: 'community' }) }),
  );
  if (response.status !== 202)
    throw new Error(`install: ${response.status} ${await response.text()}`);
  const { job } = JobAccepted.parse(await response.json());
  const ended = await jobEnd(app, token, job.id, 120_000);
  if (ended.state !== 'succeeded')
    throw new Error(`install failed: ${JSON.stringify(ended.error)}`);
}

/** Inserts a partner with that name, or counts the partners that have it (as the superuser). */
export async function partnerNamed(
  database: string,
  name: string,
  what: 'insert' | 'count',
): Promise<number> {
  return asAdmin(async (client) => {
    if (what === 'insert') {
      await client.query('INSERT INTO res_partner (name) VALUES ($1)', [name]);
      return 1;
    }
    const result = await client.query<{ n: string }>(
      'SELECT count(*) AS n FROM res_partner WHERE name = $1',
      [name],
    );
    return Number(result.rows[0]?.n ?? 0);
  }, database);
}
