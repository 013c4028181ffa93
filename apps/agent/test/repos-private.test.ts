import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  AddRepoAccepted,
  InstanceConfig,
  JobAccepted,
  RepoList,
  type GitRepo,
  type Job,
} from '@ordo/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentConfig } from '../src';
import { readCmdline } from '../src/runtime/native/proc';
import { createModulesRepo, pushChange } from '../../../test/fixtures/git/modules-repo';
import { createAppBench, type AppBench } from './agent-bench';
import { authed, jobEnd, type TestApp } from './instance-support';
import { filesContaining, serveGitOverHttp, type GitHttpServer } from './repo-support';

let bench: AppBench | undefined;
let dir: string;
let root: string;
let config: AgentConfig;
let app: TestApp;
let logs: AppBench['logs'];
let server: GitHttpServer;
let work: string;
let url: string;
const NAME = `rpp_${Math.random().toString(36).slice(2, 10)}`;
const TOKEN = `ghp_${randomBytes(18).toString('hex')}`;
/** The token as git sends it (HTTP Basic), which must not be stored either. */
const BASIC = Buffer.from(`x-access-token:${TOKEN}`).toString('base64');
const NEEDLES = [TOKEN, BASIC];

const call = (path: string, init: RequestInit = {}) =>
  app.request(path, authed(config.token, init));
const post = (path: string, body: unknown) =>
  call(path, { method: 'POST', body: JSON.stringify(body) });

beforeAll(async () => {
  bench = await createAppBench('ordo-repos-private', { instances: [{ name: NAME }] });
  ({ dir, root, config, app, logs } = bench);
  const projectRoot = join(dir, 'git-server');
  await mkdir(projectRoot);
  ({ work } = await createModulesRepo(projectRoot, 'private'));
  // Every answer held back a little, so that the clone runs long enough to be watched.
  server = await serveGitOverHttp({ projectRoot, password: TOKEN, delayMs: 500 });
  url = `${server.url}/private.git`;
}, 240_000);

afterAll(async () => {
  await server.close();
  await bench?.close();
});

async function repos(): Promise<GitRepo[]> {
  return RepoList.parse(await (await call(`/v1/instances/${NAME}/repos`)).json()).repos;
}

async function addonsPath(): Promise<string[]> {
  const response = await call(`/v1/instances/${NAME}/config`);
  return InstanceConfig.parse(await response.json()).managed.addonsPath;
}

/** Command lines of every process, sampled until `done` settles. */
async function sampleCmdlines(done: Promise<unknown>): Promise<string[][]> {
  const seen: string[][] = [];
  let over = false;
  void done.finally(() => (over = true));
  while (!over) {
    const pids = (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry));
    for (const args of await Promise.all(pids.map((pid) => readCmdline(Number(pid))))) {
      if (args.length > 0) seen.push(args);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return seen;
}

async function secretsOnDisk(): Promise<string[]> {
  return filesContaining(root, NEEDLES);
}

const checkouts = () => join(root, 'instances', NAME, 'repos');

describe('private repositories', () => {
  it('finds a planted token (the search below is not blind)', async () => {
    const planted = join(dir, 'planted');
    await mkdir(join(planted, 'deep'), { recursive: true });
    await writeFile(
      join(planted, 'deep', 'bin'),
      Buffer.concat([Buffer.from([0, 255]), Buffer.from(BASIC)]),
    );
    expect(await filesContaining(planted, NEEDLES)).toEqual([join(planted, 'deep', 'bin')]);
  });

  it('refuses to clone without the right token and leaves nothing behind', async () => {
    const pathBefore = await addonsPath();
    for (const body of [
      { id: 'wrong', url, branch: 'main', token: 'ghp_wrong' },
      { id: 'none', url, branch: 'main' },
    ]) {
      const refusedBefore = server.refused();
      const response = await post(`/v1/instances/${NAME}/repos`, body);
      expect(response.status, await response.clone().text()).toBe(202);
      const { job } = AddRepoAccepted.parse(await response.json());
      const ended = await jobEnd(app, config.token, job.id, 120_000);
      expect(ended.state).toBe('failed');
      expect(ended.error?.code).toBe('git_auth_failed');
      expect(ended.error?.message).toMatch(
        new RegExp(`^${url.replace(/[.]/g, '\\.')} refused access: give an access token`),
      );
      expect(server.refused()).toBeGreaterThan(refusedBefore);
    }
    expect(await repos()).toEqual([]);
    expect(await readdir(checkouts()).catch(() => [])).toEqual([]);
    expect(await addonsPath()).toEqual(pathBefore);
  }, 120_000);

  it('clones with the token, which is in no argv, no file and no log', async () => {
    const response = await post(`/v1/instances/${NAME}/repos`, {
      id: 'private',
      url,
      branch: 'main',
      token: TOKEN,
    });
    expect(response.status, await response.clone().text()).toBe(202);
    const { job } = AddRepoAccepted.parse(await response.json());
    const ended = jobEnd(app, config.token, job.id, 120_000);
    const cmdlines = await sampleCmdlines(ended);
    const result: Job = await ended;
    expect(result.state, JSON.stringify(result.error)).toBe('succeeded');

    // The sampling saw git at work, and never the token in a command line.
    const gits = cmdlines.filter((args) => args.some((arg) => arg.includes('private.git')));
    expect(gits.length).toBeGreaterThan(0);
    for (const args of cmdlines) {
      const line = args.join(' ');
      expect(
        NEEDLES.some((needle) => line.includes(needle)),
        line,
      ).toBe(false);
    }

    const [repo] = await repos();
    expect(repo).toMatchObject({ id: 'private', url });
    expect(repo?.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(await addonsPath()).toContain(join(checkouts(), 'private'));
    const gitConfig = await readFile(join(checkouts(), 'private', '.git', 'config'), 'utf8');
    expect(gitConfig).toContain(`url = ${url}`);
    expect(await secretsOnDisk()).toEqual([]);
    expect(NEEDLES.some((needle) => logs.text().includes(needle))).toBe(false);
  }, 120_000);

  it('pulls with the token, and fails clearly without it', async () => {
    const [before] = await repos();
    const next = await pushChange(work, 'main', 'mod_a/models/thing.py', 'THING = 2\n');

    const refused = await post(`/v1/instances/${NAME}/repos/private/pull`, {});
    const { job: failing } = JobAccepted.parse(await refused.json());
    const failed = await jobEnd(app, config.token, failing.id, 120_000);
    expect(failed.error?.code).toBe('git_auth_failed');
    expect((await repos())[0]?.commit).toBe(before?.commit);

    const accepted = await post(`/v1/instances/${NAME}/repos/private/pull`, { token: TOKEN });
    const { job } = JobAccepted.parse(await accepted.json());
    const ended = await jobEnd(app, config.token, job.id, 120_000);
    expect(ended.state, JSON.stringify(ended.error)).toBe('succeeded');
    expect((await repos())[0]).toMatchObject({
      commit: next,
      lastPull: { from: before?.commit, to: next, modules: ['mod_a'] },
    });

    expect(await secretsOnDisk()).toEqual([]);
    expect(NEEDLES.some((needle) => logs.text().includes(needle))).toBe(false);
  }, 120_000);
});
