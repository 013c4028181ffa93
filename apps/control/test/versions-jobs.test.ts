import { randomBytes } from 'node:crypto';
import { TRPCClientError } from '@trpc/client';
import { SUPPORTED_ODOO_VERSIONS } from '@ordo/protocol';
import type { ServerView } from '@ordo/protocol/panel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOB_LOST } from '../src/features/jobs';
import { expectTrpcError } from './helpers/expect-trpc-error';
import { closedPort } from './helpers/foreign-servers';
import { agentLog, chunkText, collectJobLog, storedLog } from './helpers/job-log';
import { startOdooTestAgent, waitFor, type OdooTestAgent } from './helpers/odoo-agent';
import { ADMIN, startTestControl, type TestClient, type TestControl } from './helpers/test-control';

const FAKE_JOB_ID = () =>
  `j_${Date.now().toString(36).padStart(9, '0')}_${randomBytes(5).toString('hex')}`;

describe('versions and the job mirror', () => {
  let control: TestControl;
  let client: TestClient;
  let agent: OdooTestAgent;
  let server: ServerView;

  beforeAll(async () => {
    [control, agent] = await Promise.all([
      startTestControl({ follower: { maxBackoffMs: 300, scanIntervalMs: 200 } }),
      startOdooTestAgent(),
    ]);
    client = await control.signedInClient();
    server = await client.trpc.servers.create.mutate({
      name: 'odoo1',
      agentUrl: agent.url,
      token: agent.token,
    });
  });
  afterAll(async () => {
    await control.close();
    await agent.close();
  });

  it('installs a version through tRPC: job mirrored and streamed, log complete, version listed', async () => {
    expect(await client.trpc.versions.list.query({ serverId: server.id })).toEqual({
      versions: [],
      installing: [],
      supported: [...SUPPORTED_ODOO_VERSIONS],
      activeJobs: [],
      upgradeJobs: [],
    });

    const job = await client.trpc.versions.install.mutate({
      serverId: server.id,
      version: '17.0',
      edition: 'community',
    });
    expect(job).toMatchObject({
      kind: 'version.install',
      target: '17.0',
      serverId: server.id,
      serverName: 'odoo1',
      requestedBy: ADMIN.email,
    });
    expect(['pending', 'running']).toContain(job.state);
    const during = await client.trpc.versions.list.query({ serverId: server.id });
    expect(during.activeJobs.map((active) => active.id)).toEqual([job.id]);

    const events = await collectJobLog(client.trpc, { id: job.id });
    const end = events.at(-1);
    expect(end).toMatchObject({
      type: 'end',
      job: { id: job.id, state: 'succeeded', progress: 1, error: null, requestedBy: ADMIN.email },
    });
    expect(events.slice(0, -1).every((event) => event.type === 'chunk')).toBe(true);
    const offsets = events.flatMap((event) => (event.type === 'chunk' ? [event.offset] : []));
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));

    // The same bytes as the agent's own log: nothing lost, nothing repeated.
    const source = await agentLog(agent.client, job.id);
    expect(source).toContain('Cloning branch 17.0 of file://');
    expect(source).toMatch(/Succeeded\n$/);
    expect(chunkText(events)).toBe(source);
    expect(await storedLog(control.deps.db, job.id)).toBe(source);
    expect(offsets.at(-1)).toBe(Buffer.byteLength(source));

    // From a later offset: only what follows it.
    const first = events[0];
    if (first?.type !== 'chunk') throw new Error('no first chunk');
    const rest = await collectJobLog(client.trpc, { id: job.id, fromOffset: first.offset });
    expect(chunkText(rest)).toBe(Buffer.from(source).subarray(first.offset).toString());

    expect(await client.trpc.jobs.get.query({ id: job.id })).toMatchObject({
      state: 'succeeded',
      startedAt: expect.any(String) as string,
      endedAt: expect.any(String) as string,
    });
    expect(await client.trpc.versions.list.query({ serverId: server.id })).toEqual({
      versions: [
        {
          version: '17.0',
          edition: 'community',
          python: expect.stringMatching(/^3\.\d+\.\d+$/) as string,
          path: expect.stringMatching(/\/versions\/17\.0$/) as string,
          instances: 0,
        },
      ],
      installing: [],
      supported: [...SUPPORTED_ODOO_VERSIONS],
      activeJobs: [],
      upgradeJobs: [],
    });
  }, 60_000);

  it('keeps the agent refusals and the input errors with their messages', async () => {
    await expectTrpcError(
      client.trpc.versions.install.mutate({
        serverId: server.id,
        version: '17.0',
        edition: 'community',
      }),
      { code: 'CONFLICT', status: 409, message: 'Odoo 17.0 is already installed' },
    );
    await expectTrpcError(
      client.trpc.versions.install.mutate({
        serverId: server.id,
        // @ts-expect-error: an unsupported series, as a hand-made request would send it
        version: '13.0',
        edition: 'community',
      }),
      {
        code: 'BAD_REQUEST',
        status: 400,
        message: `Odoo 13.0 is not supported (supported: ${SUPPORTED_ODOO_VERSIONS.join(', ')})`,
      },
    );
    await expectTrpcError(
      client.trpc.versions.list.query({ serverId: '00000000-0000-4000-8000-000000000000' }),
      { code: 'NOT_FOUND', status: 404, message: 'Server not found: it may have been deleted' },
    );
    const missing = FAKE_JOB_ID();
    await expectTrpcError(client.trpc.jobs.get.query({ id: missing }), {
      code: 'NOT_FOUND',
      status: 404,
      message: `No job ${missing}: it may have been deleted with its server`,
    });
    await expectTrpcError(client.trpc.jobs.get.query({ id: 'nope' }), {
      code: 'BAD_REQUEST',
      status: 400,
      message: 'Job id must look like j_0m8k2q3x1_4f9a0b2c7d',
    });
  });

  it('refuses log subscriptions to unknown jobs and to visitors who are not signed in', async () => {
    const missing = FAKE_JOB_ID();
    const unknown = await collectJobLog(client.trpc, { id: missing }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(TRPCClientError);
    expect(unknown).toMatchObject({
      message: `No job ${missing}: it may have been deleted with its server`,
      data: { code: 'NOT_FOUND' },
    });
    const stranger = control.client().trpc;
    const refused = await collectJobLog(stranger, { id: missing }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ message: 'Sign in first', data: { code: 'UNAUTHORIZED' } });
    const signIn = { code: 'UNAUTHORIZED', status: 401, message: 'Sign in first' };
    await expectTrpcError(stranger.versions.list.query({ serverId: server.id }), signIn);
    await expectTrpcError(stranger.jobs.list.query(), signIn);
    await expectTrpcError(
      stranger.instances.revealSecret.mutate({ serverId: server.id, name: 'a', secret: 'master' }),
      signIn,
    );
  });

  it('mirrors a failed job with its error, and filters the job list', async () => {
    // The stand-in repository has no 16.0 branch: the clone fails.
    const failed = await client.trpc.versions.install.mutate({
      serverId: server.id,
      version: '16.0',
      edition: 'community',
    });
    const events = await collectJobLog(client.trpc, { id: failed.id });
    expect(events.at(-1)).toMatchObject({
      type: 'end',
      job: { state: 'failed', error: { code: 'git_clone_failed' } },
    });
    expect(await storedLog(control.deps.db, failed.id)).toBe(
      await agentLog(agent.client, failed.id),
    );

    const all = await client.trpc.jobs.list.query();
    expect(all.map((job) => job.target)).toEqual(['16.0', '17.0']);
    const byState = await client.trpc.jobs.list.query({ state: 'failed' });
    expect(byState.map((job) => job.id)).toEqual([failed.id]);
    expect((await client.trpc.jobs.list.query({ search: '17' })).map((j) => j.target)).toEqual([
      '17.0',
    ]);
    expect(await client.trpc.jobs.list.query({ kind: 'instance.create' })).toEqual([]);
    expect(await client.trpc.jobs.list.query({ serverId: server.id, limit: 1 })).toHaveLength(1);
    const other = await client.trpc.servers.create.mutate({
      name: 'empty',
      agentUrl: agent.url,
      token: agent.token,
    });
    expect(await client.trpc.jobs.list.query({ serverId: other.id })).toEqual([]);
    await client.trpc.servers.remove.mutate({ id: other.id });
    await expectTrpcError(client.trpc.jobs.list.query({ state: 'done' as 'failed' }), {
      code: 'BAD_REQUEST',
      status: 400,
      message: /^Invalid option: expected one of/,
    });
  }, 30_000);

  it('imports jobs started elsewhere on sync, then follows them to their end', async () => {
    const { job } = await agent.client.installVersion(
      { version: '15.0', edition: 'community' },
      { requestedBy: 'ops@example.com' },
    );
    await client.trpc.servers.sync.mutate({ id: server.id });
    const imported = await client.trpc.jobs.get.query({ id: job.id });
    expect(imported).toMatchObject({
      target: '15.0',
      serverName: 'odoo1',
      requestedBy: 'ops@example.com',
    });
    const events = await collectJobLog(client.trpc, { id: job.id });
    expect(events.at(-1)).toMatchObject({ type: 'end', job: { state: 'failed' } });
    expect(chunkText(events)).toBe(await agentLog(agent.client, job.id));
  }, 30_000);

  it('marks a job the agent does not know as lost', async () => {
    const id = FAKE_JOB_ID();
    await control.deps.db
      .insertInto('jobs')
      .values({
        id,
        server_id: server.id,
        kind: 'version.install',
        state: 'running',
        progress: null,
        target: '18.0',
        created_at: new Date(),
        started_at: new Date(),
        ended_at: null,
      })
      .execute();
    control.deps.jobHub.recorded(id);
    const events = await collectJobLog(client.trpc, { id });
    expect(events).toEqual([
      {
        type: 'end',
        job: expect.objectContaining({ id, state: 'failed', error: JOB_LOST }) as unknown,
      },
    ]);
  });

  it('retries an unreachable agent with backoff and completes the mirror once it answers', async () => {
    const { job } = await agent.client.installVersion({ version: '14.0', edition: 'community' });
    const deadUrl = `http://127.0.0.1:${await closedPort()}`;
    const flaky = await client.trpc.servers.create.mutate({
      name: 'flaky',
      agentUrl: deadUrl,
      token: agent.token,
    });
    await control.deps.db
      .insertInto('jobs')
      .values({
        id: job.id,
        server_id: flaky.id,
        kind: job.kind,
        state: job.state,
        progress: null,
        target: job.target,
        created_at: job.createdAt,
        started_at: null,
        ended_at: null,
      })
      .execute();
    control.deps.jobHub.recorded(job.id);
    await waitFor(
      () => control.logs.text().includes('cannot follow the job on its agent; retrying'),
      'a failed attempt',
    );
    expect((await client.trpc.jobs.get.query({ id: job.id })).endedAt).toBeNull();

    await client.trpc.servers.update.mutate({ id: flaky.id, agentUrl: agent.url });
    const events = await collectJobLog(client.trpc, { id: job.id });
    expect(events.at(-1)).toMatchObject({
      type: 'end',
      job: { state: 'failed', serverName: 'flaky' },
    });
    expect(chunkText(events)).toBe(await agentLog(agent.client, job.id));
  }, 30_000);
});
