import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RepoView, ServerView } from '@ordo/protocol/panel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubSignature } from '../src/features/repos/webhook-verify';
import { expectTrpcError } from './helpers/expect-trpc-error';
import { agentLog, collectJobLog } from './helpers/job-log';
import { addServer, createInstance, installVersion } from './helpers/managed-server';
import { createModulesRepo, git, pushChange } from '../../../test/fixtures/git/modules-repo';
import { slowGitBin, startOdooTestAgent, waitFor, type OdooTestAgent } from './helpers/odoo-agent';
import { ADMIN, startTestControl, type TestClient, type TestControl } from './helpers/test-control';
import { deliverGithub, deliverGitlab, pushPayload } from './helpers/webhooks';

const FAST_FOLLOWER = { scanIntervalMs: 200, pollIntervalMs: 200 };

/**
 * Git repositories end to end: a real agent with the stand-in Odoo, a local bare repository as
 * the Git host, and two control-plane processes on one database receiving the webhooks.
 */
describe('git repositories and push webhooks with a real agent', () => {
  const secretKey = randomBytes(32);
  let control: TestControl;
  let second: TestControl;
  let client: TestClient;
  let agent: OdooTestAgent;
  let server: ServerView;
  let dir: string;
  let addons: { bare: string; work: string };
  let repo: RepoView;
  let secret: string;
  let ref: { serverId: string; name: string };
  let hookUrl: string;
  let secondHookUrl: string;
  const TOKEN = `tok_${randomBytes(12).toString('hex')}`;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ordo-control-repos-'));
    // Every fetch takes a second: a burst of pushes lands while the first pull runs.
    const slowBin = await slowGitBin(dir, 1, 'fetch');
    [control, agent, addons] = await Promise.all([
      startTestControl({ secretKey, follower: FAST_FOLLOWER }),
      startOdooTestAgent({ env: { PATH: `${slowBin}:${process.env.PATH ?? ''}` } }),
      createModulesRepo(dir, 'addons'),
    ]);
    second = await startTestControl({
      testDb: control.testDb,
      secretKey,
      follower: FAST_FOLLOWER,
    });
    client = await control.signedInClient();
    server = await addServer(client, agent, 'git1');
    ref = { serverId: server.id, name: 'shop' };
    await installVersion(client, server.id);
    await createInstance(client, ref);
  }, 240_000);
  afterAll(async () => {
    await second?.close();
    await control?.close();
    await agent?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Pull jobs as the agent knows them: the one source no control process can miscount. */
  const agentPulls = async () =>
    (await agent.client.listJobs({ limit: 500 })).jobs.filter((job) => job.kind === 'repo_pull');
  const listed = async (id: string) => {
    const { repos, agentError } = await client.trpc.repos.list.query(ref);
    expect(agentError).toBeNull();
    const found = repos.find((item) => item.id === id);
    if (found === undefined) throw new Error(`repository ${id} is not listed`);
    return found;
  };
  const endOf = async (jobId: string) => {
    const events = await collectJobLog(client.trpc, { id: jobId });
    const end = events.at(-1);
    if (end?.type !== 'end') throw new Error('the job log ended without its end');
    return end.job;
  };
  /** Nothing in flight and nothing queued, in the database both control processes share. */
  const settled = (id: string) =>
    waitFor(
      async () => {
        const row = await control.deps.db
          .selectFrom('git_repos')
          .selectAll()
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        return !row.pull_pending && row.pull_claimed_at === null && row.pull_job_id === null;
      },
      'the repository to settle',
      120_000,
    );

  it('adds a repository: secret generated, clone mirrored, listed with its commit', async () => {
    const url = pathToFileURL(addons.bare).href;
    const added = await client.trpc.repos.add.mutate({ ...ref, url });
    repo = added.repo;
    expect(added.job).toMatchObject({
      kind: 'repo_clone',
      target: 'shop',
      requestedBy: ADMIN.email,
    });
    expect(repo).toMatchObject({
      url,
      branch: 'main',
      hasToken: false,
      webhookPath: `/hooks/git/${repo.id}`,
      webhookUrl: null,
      activeJob: expect.objectContaining({ id: added.job.id }) as unknown,
    });
    expect((await endOf(added.job.id)).state).toBe('succeeded');
    const head = await git(addons.bare, ['rev-parse', 'refs/heads/main']);
    expect(await listed(repo.id)).toMatchObject({
      agentState: 'present',
      commit: head,
      activeJob: null,
      pullQueued: false,
    });
    await settled(repo.id);

    ({ value: secret } = await client.trpc.repos.revealSecret.mutate({ ...ref, repoId: repo.id }));
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    const row = await control.deps.db
      .selectFrom('git_repos')
      .selectAll()
      .where('id', '=', repo.id)
      .executeTakeFirstOrThrow();
    expect(row.webhook_secret_ciphertext).toMatch(/^v1:/);
    expect(row.webhook_secret_ciphertext).not.toContain(secret);
    hookUrl = `${control.url}${repo.webhookPath}`;
    secondHookUrl = `${second.url}${repo.webhookPath}`;

    await expectTrpcError(client.trpc.repos.add.mutate({ ...ref, url }), {
      code: 'CONFLICT',
      status: 409,
      message: `Instance "shop" already has ${url} (branch main)`,
    });
  }, 120_000);

  it('keeps an access token encrypted: not in the audit log, the logs or the job log', async () => {
    const url = pathToFileURL(addons.bare).href;
    const added = await client.trpc.repos.add.mutate({
      ...ref,
      url,
      branch: 'other',
      token: TOKEN,
    });
    expect(added.repo.hasToken).toBe(true);
    expect((await endOf(added.job.id)).state).toBe('succeeded');
    const row = await control.deps.db
      .selectFrom('git_repos')
      .selectAll()
      .where('id', '=', added.repo.id)
      .executeTakeFirstOrThrow();
    expect(row.token_ciphertext).not.toBeNull();
    expect(row.token_ciphertext).not.toContain(TOKEN);
    expect(control.deps.secretBox.decrypt(row.token_ciphertext ?? '')).toBe(TOKEN);
    const audit = await control.deps.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'repos.add')
      .execute();
    expect(audit.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit)).not.toContain(TOKEN);
    expect(JSON.stringify(audit)).toContain('[redacted]');
    expect(control.logs.text()).not.toContain(TOKEN);
    expect(await agentLog(agent.client, added.job.id)).not.toContain(TOKEN);

    // A manual pull hands the token to the agent again (a private host needs it for fetch).
    const pulled = await client.trpc.repos.pull.mutate({ ...ref, repoId: added.repo.id });
    expect((await endOf(pulled.job.id)).state).toBe('succeeded');
    expect(await agentLog(agent.client, pulled.job.id)).not.toContain(TOKEN);
    await settled(added.repo.id);
    await client.trpc.repos.remove.mutate({ ...ref, repoId: added.repo.id });
  }, 180_000);

  it('a signed GitHub push pulls the new commit and updates the module it touched', async () => {
    const next = await pushChange(addons.work, 'main', 'mod_a/models/thing.py', 'THING = 2\n');
    const deliveryId = randomUUID();
    const answer = await deliverGithub(hookUrl, secret, pushPayload('main', next), { deliveryId });
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ ok: true, result: 'accepted' });
    const jobId = answer.body.jobId ?? '';
    const job = await endOf(jobId);
    expect(job).toMatchObject({
      kind: 'repo_pull',
      state: 'succeeded',
      requestedBy: 'GitHub webhook',
    });
    expect(await listed(repo.id)).toMatchObject({
      commit: next,
      lastPull: { to: next, modules: ['mod_a'] },
    });
    expect(await agentLog(agent.client, jobId)).toContain('mod_a');
    const [delivery] = await client.trpc.repos.deliveries.query({ ...ref, repoId: repo.id });
    expect(delivery).toMatchObject({
      provider: 'github',
      event: 'push',
      deliveryId,
      ref: 'refs/heads/main',
      commit: next,
      result: 'accepted',
      httpStatus: 202,
      jobId,
    });
    await settled(repo.id);

    // The same delivery again: a replay, refused without a pull.
    const pullsBefore = (await agentPulls()).length;
    const replay = await deliverGithub(hookUrl, secret, pushPayload('main', next), { deliveryId });
    expect(replay.status).toBe(409);
    expect(replay.body.result).toBe('duplicate');
    expect((await agentPulls()).length).toBe(pullsBefore);
  }, 180_000);

  it('a GitLab push with the secret token pulls too', async () => {
    const next = await pushChange(addons.work, 'main', 'mod_b/models/thing.py', 'THING = 2\n');
    const answer = await deliverGitlab(secondHookUrl, secret, pushPayload('main', next));
    expect(answer.status).toBe(202);
    expect((await endOf(answer.body.jobId ?? '')).state).toBe('succeeded');
    expect(await listed(repo.id)).toMatchObject({
      commit: next,
      lastPull: { to: next, modules: ['mod_b'] },
    });
    await settled(repo.id);
  }, 180_000);

  it('refuses or ignores bad deliveries with the right status, and never pulls', async () => {
    const before = await listed(repo.id);
    const pullsBefore = (await agentPulls()).length;
    const next = await pushChange(addons.work, 'other', 'mod_a/models/thing.py', 'THING = 9\n');
    const payload = pushPayload('main', next);

    expect((await deliverGithub(hookUrl, 'a wrong secret', payload)).status).toBe(401);
    expect((await deliverGithub(hookUrl, secret, payload, { signature: null })).status).toBe(401);
    expect(
      (await deliverGithub(hookUrl, secret, payload, { signature: githubSignature(secret, '{}') }))
        .status,
    ).toBe(401);
    expect((await deliverGitlab(hookUrl, `${secret}0`, payload)).status).toBe(401);
    const other = await deliverGithub(hookUrl, secret, pushPayload('other', next));
    expect(other).toMatchObject({ status: 202, body: { result: 'ignored' } });
    expect((await deliverGithub(hookUrl, secret, '{"ref": "refs/heads/main"')).status).toBe(400);
    expect(
      (await deliverGithub(`${control.url}/hooks/git/${randomUUID()}`, secret, payload)).status,
    ).toBe(404);

    expect((await agentPulls()).length).toBe(pullsBefore);
    expect((await listed(repo.id)).commit).toBe(before.commit);
    const recent = await client.trpc.repos.deliveries.query({ ...ref, repoId: repo.id, limit: 6 });
    expect(recent.map((d) => `${d.result} ${d.httpStatus}`)).toEqual([
      'refused 400',
      'ignored 202',
      'refused 401',
      'refused 401',
      'refused 401',
      'refused 401',
    ]);
  }, 120_000);

  it('coalesces a burst of 5 pushes over two control processes into at most 2 pulls of the newest commit', async () => {
    const pullsBefore = (await agentPulls()).length;
    let newest = '';
    const answers = [];
    for (let i = 1; i <= 5; i += 1) {
      newest = await pushChange(
        addons.work,
        'main',
        'mod_a/models/thing.py',
        `THING = ${10 + i}\n`,
      );
      // Alternate between the two processes: the row lock has to agree across them.
      const url = i % 2 === 0 ? secondHookUrl : hookUrl;
      answers.push(await deliverGithub(url, secret, pushPayload('main', newest)));
    }
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 202]);
    expect(answers.every((a) => a.body.result === 'accepted')).toBe(true);
    await waitFor(
      async () => (await listed(repo.id)).commit === newest,
      'the newest commit to be checked out',
      150_000,
    );
    await settled(repo.id);
    const all = await agentPulls();
    // Newest first: the pulls of this burst.
    const pulls = all.slice(0, all.length - pullsBefore);
    expect(pulls.length).toBeGreaterThanOrEqual(1);
    expect(pulls.length).toBeLessThanOrEqual(2);
    expect(pulls.every((job) => job.state === 'succeeded')).toBe(true);
    expect(await listed(repo.id)).toMatchObject({
      commit: newest,
      activeJob: null,
      pullQueued: false,
    });
  }, 240_000);

  it('pulls by hand from the panel, and refuses a second pull while one runs', async () => {
    const next = await pushChange(addons.work, 'main', 'mod_b/models/thing.py', 'THING = 3\n');
    const { job } = await client.trpc.repos.pull.mutate({ ...ref, repoId: repo.id });
    expect(job).toMatchObject({ kind: 'repo_pull', requestedBy: ADMIN.email });
    await expectTrpcError(client.trpc.repos.pull.mutate({ ...ref, repoId: repo.id }), {
      code: 'CONFLICT',
      status: 409,
      message: `A clone or pull of this repository is running (job ${job.id}): pull again when it has ended`,
    });
    expect((await endOf(job.id)).state).toBe('succeeded');
    expect((await listed(repo.id)).commit).toBe(next);
    await settled(repo.id);
  }, 180_000);

  it('removes the repository: gone on the agent, its webhook URL answers 404', async () => {
    await client.trpc.repos.remove.mutate({ ...ref, repoId: repo.id });
    expect((await agent.client.listRepos('shop')).repos).toEqual([]);
    expect((await client.trpc.repos.list.query(ref)).repos).toEqual([]);
    const next = await git(addons.bare, ['rev-parse', 'refs/heads/main']);
    expect((await deliverGithub(hookUrl, secret, pushPayload('main', next))).status).toBe(404);
    expect(await client.trpc.repos.deliveries.query(ref)).toEqual([]);
  }, 120_000);

  it('forgets the repositories of an instance when the instance is deleted', async () => {
    const added = await client.trpc.repos.add.mutate({
      ...ref,
      url: pathToFileURL(addons.bare).href,
    });
    expect((await endOf(added.job.id)).state).toBe('succeeded');
    await settled(added.repo.id);
    await client.trpc.instances.remove.mutate(ref);
    const left = await control.deps.db.selectFrom('git_repos').select('id').execute();
    expect(left).toEqual([]);
    const head = await git(addons.bare, ['rev-parse', 'refs/heads/main']);
    const url = `${control.url}${added.repo.webhookPath}`;
    expect((await deliverGithub(url, secret, pushPayload('main', head))).status).toBe(404);
  }, 120_000);
});
