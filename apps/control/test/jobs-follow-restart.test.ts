import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadControlConfig } from '../src/config';
import { startControl } from '../src/start-control';
import { expectTrpcError } from './helpers/expect-trpc-error';
import { createUser } from './helpers/fixtures';
import { agentLog, chunkText, collectJobLog, storedLog } from './helpers/job-log';
import { captureLogs } from './helpers/log-capture';
import { slowGitBin, startOdooTestAgent, waitFor, type OdooTestAgent } from './helpers/odoo-agent';
import { ADMIN, createTestClient, startTestControl } from './helpers/test-control';
import { createTestDb, type TestDb } from './helpers/test-db';

describe('following jobs across control plane restarts and processes', () => {
  let agent: OdooTestAgent;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ordo-control-follow-'));
    // git clone sleeps first: an install logs its first lines, then waits in its clone.
    const bin = await slowGitBin(dir, 2);
    agent = await startOdooTestAgent({
      versions: ['15.0', '16.0', '17.0'],
      env: { PATH: `${bin}:${process.env.PATH ?? ''}` },
    });
  });
  afterAll(async () => {
    await agent.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('resumes following after its own restart: the log is complete, without gap or repeat', async () => {
    const testDb: TestDb = await createTestDb();
    try {
      await createUser(testDb.db, ADMIN);
      const config = loadControlConfig(
        {
          DATABASE_URL: testDb.url,
          PORT: '0',
          ORDO_DATA_DIR: dir,
          ORDO_UI_DIR: join(dir, 'no-ui'),
          ORDO_SECRET_KEY: randomBytes(32).toString('hex'),
        },
        dir,
      );
      const first = await startControl(config, { logger: captureLogs().logger });
      const client = createTestClient(first.url);
      await client.trpc.auth.login.mutate(ADMIN);
      const server = await client.trpc.servers.create.mutate({
        name: 'odoo1',
        agentUrl: agent.url,
        token: agent.token,
      });
      const job = await client.trpc.versions.install.mutate({
        serverId: server.id,
        version: '17.0',
        edition: 'community',
      });

      await waitFor(
        async () => (await storedLog(testDb.db, job.id)).includes('Cloning branch 17.0'),
        'the first lines to be mirrored',
      );
      await first.close();
      const { log_offset: offsetAtStop } = await testDb.db
        .selectFrom('jobs')
        .select('log_offset')
        .where('id', '=', job.id)
        .executeTakeFirstOrThrow();
      expect(Number(offsetAtStop)).toBeGreaterThan(0);
      expect((await agent.client.getJob(job.id)).state).toBe('running');

      const second = await startControl(config, { logger: captureLogs().logger });
      try {
        const again = createTestClient(second.url);
        await again.trpc.auth.login.mutate(ADMIN);
        const events = await collectJobLog(again.trpc, { id: job.id });
        expect(events.at(-1)).toMatchObject({ type: 'end', job: { state: 'succeeded' } });

        const source = await agentLog(agent.client, job.id);
        expect(Buffer.byteLength(source)).toBeGreaterThan(Number(offsetAtStop));
        expect(chunkText(events)).toBe(source);
        // Chunks tile the log exactly; one of them starts where the first process stopped.
        expect(await storedLog(testDb.db, job.id)).toBe(source);
        const resumed = await testDb.db
          .selectFrom('job_log_chunks')
          .select('start_offset')
          .where('job_id', '=', job.id)
          .where('start_offset', '=', offsetAtStop)
          .execute();
        expect(resumed).toHaveLength(1);
      } finally {
        await second.close();
      }
    } finally {
      await testDb.drop();
    }
  }, 60_000);

  it('two control processes on one database follow each job once', async () => {
    const secretKey = randomBytes(32);
    const timing = { scanIntervalMs: 100, pollIntervalMs: 200 };
    const a = await startTestControl({ secretKey, follower: timing });
    const b = await startTestControl({ secretKey, follower: timing, testDb: a.testDb });
    try {
      const client = await a.signedInClient();
      const server = await client.trpc.servers.create.mutate({
        name: 'odoo1',
        agentUrl: agent.url,
        token: agent.token,
      });
      const job = await client.trpc.versions.install.mutate({
        serverId: server.id,
        version: '16.0',
        edition: 'community',
      });

      const followers = () =>
        [a.follower, b.follower].filter((f) => f?.following().includes(job.id));
      await waitFor(() => followers().length > 0, 'a follower');
      // While the job runs (git sleeps), both keep scanning; only one may ever hold it.
      const seen = new Set<number>();
      while ((await agent.client.getJob(job.id)).state === 'running') {
        const holding = [a.follower, b.follower].flatMap((f, i) =>
          f?.following().includes(job.id) ? [i] : [],
        );
        expect(holding.length).toBeLessThanOrEqual(1);
        for (const index of holding) seen.add(index);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(seen.size).toBe(1);

      // The log is read through B: it streams what A's follower stores, by polling PostgreSQL.
      const other = await b.signedInClient();
      const events = await collectJobLog(other.trpc, { id: job.id });
      expect(events.at(-1)).toMatchObject({ type: 'end', job: { state: 'succeeded' } });
      const source = await agentLog(agent.client, job.id);
      expect(chunkText(events)).toBe(source);
      expect(await storedLog(a.testDb.db, job.id)).toBe(source);
      const ended = [a, b].filter((control) => control.logs.text().includes('"msg":"job ended"'));
      expect(ended).toHaveLength(1);
    } finally {
      await b.close();
      await a.close();
    }
  }, 60_000);

  it('cancels a running job through the agent and mirrors how it ends', async () => {
    const control = await startTestControl();
    try {
      const client = await control.signedInClient();
      const server = await client.trpc.servers.create.mutate({
        name: 'odoo1',
        agentUrl: agent.url,
        token: agent.token,
      });
      const job = await client.trpc.versions.install.mutate({
        serverId: server.id,
        version: '15.0',
        edition: 'community',
      });
      await waitFor(
        async () => (await agent.client.getJob(job.id)).state === 'running',
        'the install to run',
      );
      const cancelled = await client.trpc.jobs.cancel.mutate({ id: job.id });
      expect(cancelled).toMatchObject({ id: job.id, serverName: 'odoo1' });
      const events = await collectJobLog(client.trpc, { id: job.id });
      expect(events.at(-1)).toMatchObject({
        type: 'end',
        job: { state: 'cancelled', error: { code: 'cancelled' } },
      });
      expect(chunkText(events)).toContain('Cancel requested');
      await expectTrpcError(client.trpc.jobs.cancel.mutate({ id: job.id }), {
        code: 'CONFLICT',
        status: 409,
        message: `Job ${job.id} already ended (cancelled)`,
      });
    } finally {
      await control.close();
    }
  }, 30_000);
});
