import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertGitRepo } from '../src/db/repositories/git-repos.repository';
import { githubSignature } from '../src/features/repos/webhook-verify';
import { fakeToken } from './helpers/fixtures';
import { closedPort } from './helpers/foreign-servers';
import { startTestControl, type TestClient, type TestControl } from './helpers/test-control';
import { deliverGithub, deliverGitlab, pushPayload } from './helpers/webhooks';

const SHA = 'c0ffee'.padEnd(40, '0');

/**
 * Every way a delivery is refused or ignored, against a repository whose agent is down: none of
 * them may even try to pull (no job is recorded), and each is logged.
 */
describe('git webhooks: refused and ignored deliveries', () => {
  let control: TestControl;
  let admin: TestClient;
  let serverId: string;
  const repoId = randomUUID();
  const secret = randomBytes(32).toString('hex');
  let hookUrl: string;

  beforeAll(async () => {
    control = await startTestControl({ follower: false });
    admin = await control.signedInClient();
    const agentUrl = `http://127.0.0.1:${await closedPort()}`;
    ({ id: serverId } = await admin.trpc.servers.create.mutate({
      name: 'hooks',
      agentUrl,
      token: fakeToken(),
    }));
    await control.deps.db
      .insertInto('instances')
      .values({
        server_id: serverId,
        name: 'shop',
        version: '17.0',
        edition: 'community',
        type: 'production',
        parent: null,
        status: 'running',
        status_reason: null,
        database: 'shop',
        http_port: 8069,
        url: null,
      })
      .execute();
    await insertGitRepo(control.deps.db, {
      id: repoId,
      server_id: serverId,
      instance_name: 'shop',
      url: 'https://git.example.com/acme/addons.git',
      branch: 'main',
      token_ciphertext: null,
      webhook_secret_ciphertext: control.deps.secretBox.encrypt(secret),
      created_by_user_id: null,
      created_by: null,
      pull_job_id: null,
      pull_claimed_at: null,
    });
    hookUrl = `${control.url}/hooks/git/${repoId}`;
  });
  afterAll(async () => {
    await control.close();
  });

  const jobCount = async () =>
    Number(
      (
        await control.deps.db
          .selectFrom('jobs')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const deliveries = () =>
    admin.trpc.repos.deliveries.query({ serverId, name: 'shop', repoId, limit: 500 });

  it('answers 404 for an unknown repository, and logs nothing', async () => {
    const body = pushPayload('main', SHA);
    expect(
      (await deliverGithub(`${control.url}/hooks/git/${randomUUID()}`, secret, body)).status,
    ).toBe(404);
    expect((await deliverGithub(`${control.url}/hooks/git/not-a-uuid`, secret, body)).status).toBe(
      404,
    );
    expect(await deliveries()).toEqual([]);
  });

  it('refuses a missing or wrong GitHub signature with 401', async () => {
    const body = pushPayload('main', SHA);
    const missing = await deliverGithub(hookUrl, secret, body, { signature: null });
    expect(missing).toEqual({
      status: 401,
      body: {
        ok: false,
        result: 'refused',
        message: 'No X-Hub-Signature-256 header: set the webhook secret',
      },
    });
    const wrong = await deliverGithub(hookUrl, 'not the secret', body);
    expect(wrong.status).toBe(401);
    expect(wrong.body.message).toMatch(/^Wrong X-Hub-Signature-256/);
    // Signed for another body: the signature covers the raw bytes.
    const other = await deliverGithub(hookUrl, secret, body, {
      signature: githubSignature(secret, `${body} `),
    });
    expect(other.status).toBe(401);
    // Neither host's headers at all.
    const anonymous = await fetch(hookUrl, { method: 'POST', body });
    expect(anonymous.status).toBe(401);
    expect(await jobCount()).toBe(0);
  });

  it('refuses a missing or wrong GitLab token with 401', async () => {
    const body = pushPayload('main', SHA);
    expect((await deliverGitlab(hookUrl, null, body)).status).toBe(401);
    expect((await deliverGitlab(hookUrl, `${secret}x`, body)).status).toBe(401);
    expect((await deliverGitlab(hookUrl, secret.slice(0, 10), body)).status).toBe(401);
    expect(await jobCount()).toBe(0);
  });

  it('is a machine endpoint: a foreign Origin is not a CSRF refusal, the signature decides', async () => {
    const body = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 });
    const answer = await deliverGithub(hookUrl, secret, body, {
      event: 'ping',
      headers: { origin: 'https://evil.example.com' },
    });
    expect(answer).toEqual({
      status: 200,
      body: { ok: true, result: 'ignored', message: 'pong: the webhook is set up' },
    });
  });

  it('refuses malformed JSON with 400 once the signature is right', async () => {
    const answer = await deliverGithub(hookUrl, secret, '{"ref": "refs/heads/main", ');
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      result: 'refused',
      message: expect.stringMatching(/not valid JSON/) as unknown,
    });
    expect((await deliverGithub(hookUrl, secret, JSON.stringify({ zen: 1 }))).status).toBe(400);
    expect(await jobCount()).toBe(0);
  });

  it('acknowledges and ignores pushes to other branches and events that are not pushes', async () => {
    const other = await deliverGithub(hookUrl, secret, pushPayload('develop', SHA));
    expect(other).toEqual({
      status: 202,
      body: {
        ok: true,
        result: 'ignored',
        message: 'Ignored: a push to refs/heads/develop; this repository follows refs/heads/main',
      },
    });
    const gitlabOther = await deliverGitlab(hookUrl, secret, pushPayload('feature/x', SHA));
    expect(gitlabOther.status).toBe(202);
    expect(gitlabOther.body.result).toBe('ignored');
    const tag = await deliverGithub(
      hookUrl,
      secret,
      JSON.stringify({ ref: 'refs/tags/v1', after: SHA }),
      { event: 'create' },
    );
    expect(tag).toMatchObject({ status: 202, body: { result: 'ignored' } });
    const deletion = await deliverGithub(
      hookUrl,
      secret,
      JSON.stringify({ ref: 'refs/heads/main', after: '0'.repeat(40), deleted: true }),
    );
    expect(deletion).toMatchObject({ status: 202, body: { result: 'ignored' } });
    expect(await jobCount()).toBe(0);
  });

  it('refuses a replayed delivery id with 409', async () => {
    const deliveryId = randomUUID();
    const body = pushPayload('develop', SHA);
    expect((await deliverGithub(hookUrl, secret, body, { deliveryId })).status).toBe(202);
    const replay = await deliverGithub(hookUrl, secret, body, { deliveryId });
    expect(replay.status).toBe(409);
    expect(replay.body).toMatchObject({ ok: false, result: 'duplicate' });
    expect(replay.body.message).toMatch(
      new RegExp(`^Delivery ${deliveryId} was received already at `),
    );
  });

  it('refuses bodies over 1 MB with 413', async () => {
    const big = JSON.stringify({
      ref: 'refs/heads/main',
      after: SHA,
      pad: 'x'.repeat(1024 * 1024),
    });
    const answer = await deliverGithub(hookUrl, secret, big);
    expect(answer.status).toBe(413);
    expect(answer.body.result).toBe('refused');
  });

  it('answers 502 when the agent cannot start the pull, and a redelivery may try again', async () => {
    const deliveryId = randomUUID();
    const body = pushPayload('main', SHA);
    const first = await deliverGithub(hookUrl, secret, body, { deliveryId });
    expect(first.status).toBe(502);
    expect(first.body).toMatchObject({ ok: false, result: 'refused' });
    expect(first.body.message).toMatch(/^The pull could not start: /);
    // Not a replay: the failed delivery gave its id back, and the claim was released.
    const again = await deliverGithub(hookUrl, secret, body, { deliveryId });
    expect(again.status).toBe(502);
    const repo = await control.deps.db
      .selectFrom('git_repos')
      .selectAll()
      .where('id', '=', repoId)
      .executeTakeFirstOrThrow();
    expect(repo).toMatchObject({ pull_job_id: null, pull_claimed_at: null, pull_pending: false });
    expect(await jobCount()).toBe(0);
  });

  it('logs every delivery to the repository, newest first, without bodies or secrets', async () => {
    const list = await deliveries();
    const results = list.map((d) => `${d.provider} ${d.result} ${d.httpStatus}`);
    expect(results).toEqual([
      'github refused 502',
      'github refused 502',
      'github refused 413',
      'github duplicate 409',
      'github ignored 202',
      'github ignored 202',
      'github ignored 202',
      'gitlab ignored 202',
      'github ignored 202',
      'github refused 400',
      'github refused 400',
      'github ignored 200',
      'gitlab refused 401',
      'gitlab refused 401',
      'gitlab refused 401',
      'unknown refused 401',
      'github refused 401',
      'github refused 401',
      'github refused 401',
    ]);
    expect(list[4]).toMatchObject({ event: 'push', ref: 'refs/heads/develop', commit: SHA });
    const refusedOnly = await admin.trpc.repos.deliveries.query({
      serverId,
      name: 'shop',
      result: 'duplicate',
    });
    expect(refusedOnly).toHaveLength(1);
    const stored = JSON.stringify(
      await control.deps.db.selectFrom('git_webhook_deliveries').selectAll().execute(),
    );
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain('acme/addons');
    expect(control.logs.text()).not.toContain(secret);
  });
});
