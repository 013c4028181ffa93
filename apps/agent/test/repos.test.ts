import { execFile } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import {
  AddRepoAccepted,
  AgentClientError,
  createAgentClient,
  InstanceConfig,
  InstanceDetail,
  JobAccepted,
  RepoList,
  type GitRepo,
  type Job,
} from '@ordo/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentConfig } from '../src';
import { runtimeInstance } from '../src/instances/instance-paths';
import { containerSpec } from '../src/runtime/docker/container-spec';
import { readConfFacts } from '../src/runtime/docker/conf-facts';
import { createModulesRepo, git, pushChange } from '../../../test/fixtures/git/modules-repo';
import { createAppBench, type AppBench } from './agent-bench';
import { authed, expectError, jobEnd, jobLog, type TestApp } from './instance-support';

const execFileAsync = promisify(execFile);

let bench: AppBench | undefined;
let dir: string;
let root: string;
let config: AgentConfig;
let app: TestApp;
let modules: { bare: string; work: string };
let url: string;
let database: string;
/** Unique: instance names are database names, and other test files run alongside. */
const NAME = `rp_${Math.random().toString(36).slice(2, 10)}`;
const REPO_ID = 'mods-main';

const call = (path: string, init: RequestInit = {}) =>
  app.request(path, authed(config.token, init));
const post = (path: string, body: unknown) =>
  call(path, { method: 'POST', body: JSON.stringify(body) });
/** The typed client the control plane uses, talking to the app in-process. */
const client = () =>
  createAgentClient({
    baseUrl: 'http://agent.test',
    token: config.token,
    fetch: (input, init) =>
      Promise.resolve(
        app.request(typeof input === 'string' || input instanceof URL ? input : input.url, init),
      ),
  });

beforeAll(async () => {
  bench = await createAppBench('ordo-repos', { instances: [{ name: NAME }] });
  ({ dir, root, config, app } = bench);
  modules = await createModulesRepo(dir);
  url = pathToFileURL(modules.bare).href;
  database = (await detail()).database;
}, 240_000);

afterAll(() => bench?.close());

async function detail(): Promise<InstanceDetail> {
  return InstanceDetail.parse(await (await call(`/v1/instances/${NAME}`)).json());
}

async function addonsPath(): Promise<string[]> {
  const response = await call(`/v1/instances/${NAME}/config`);
  return InstanceConfig.parse(await response.json()).managed.addonsPath;
}

async function repos(): Promise<GitRepo[]> {
  const response = await call(`/v1/instances/${NAME}/repos`);
  expect(response.status).toBe(200);
  return RepoList.parse(await response.json()).repos;
}

async function finished(response: Response, timeoutMs = 120_000): Promise<Job> {
  expect(response.status, await response.clone().text()).toBe(202);
  const { job } = JobAccepted.parse(await response.json());
  return jobEnd(app, config.token, job.id, timeoutMs);
}

async function pull(id: string, body: unknown = {}): Promise<Job> {
  return finished(await post(`/v1/instances/${NAME}/repos/${id}/pull`, body));
}

const checkouts = () => join(root, 'instances', NAME, 'repos');
const odooLog = () => readFile(join(root, 'instances', NAME, 'odoo.log'), 'utf8');

/** Runs the stand-in as an admin would: `odoo-bin -c odoo.conf -d <db> -i <mods>`. */
async function installModules(names: string[]): Promise<void> {
  const instance = runtimeInstance(root, { name: NAME, version: '17.0' });
  await execFileAsync(
    join(instance.versionDir, 'venv', 'bin', 'python'),
    [
      join(instance.versionDir, 'odoo', 'odoo-bin'),
      '-c',
      instance.confPath,
      '-d',
      database,
      '-i',
      names.join(','),
      '--stop-after-init',
    ],
    { cwd: instance.dir },
  );
}

describe('git repositories of an instance', () => {
  it('clones the branch, puts it on the addons_path and restarts the instance', async () => {
    const before = await detail();
    expect(before.status).toBe('running');
    const response = await post(`/v1/instances/${NAME}/repos`, {
      id: REPO_ID,
      url,
      branch: 'main',
    });
    expect(response.status, await response.clone().text()).toBe(202);
    const accepted = AddRepoAccepted.parse(await response.json());
    expect(accepted.job).toMatchObject({ kind: 'repo_clone', target: NAME });
    expect(accepted.repo).toMatchObject({ id: REPO_ID, url, branch: 'main', commit: null });
    const job = await jobEnd(app, config.token, accepted.job.id, 120_000);
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');

    const head = await git(modules.bare, ['rev-parse', 'refs/heads/main']);
    const [repo] = await repos();
    const path = join(checkouts(), REPO_ID);
    expect(repo).toMatchObject({ id: REPO_ID, url, branch: 'main', commit: head, path });
    expect(repo?.lastPullAt).not.toBeNull();
    expect(await git(path, ['rev-parse', 'HEAD'])).toBe(head);
    expect(await git(path, ['rev-parse', '--abbrev-ref', 'HEAD'])).toBe('main');
    expect(await addonsPath()).toContain(path);

    const after = await detail();
    expect(after.status).toBe('running');
    expect(after.processes.map((p) => p.pid)).not.toEqual(before.processes.map((p) => p.pid));
    expect(await jobLog(root, job.id)).toContain(`Added ${path} to the addons_path`);
  }, 180_000);

  it('leaves the checkout where the Docker runtime mounts it at the same path', async () => {
    const instance = runtimeInstance(root, { name: NAME, version: '17.0' });
    const facts = await readConfFacts(instance);
    const path = join(checkouts(), REPO_ID);
    expect(facts.addonsPaths).toContain(path);
    const spec = containerSpec({
      instance,
      root,
      image: 'ordo-odoo-test',
      facts,
      user: '1000:1000',
      interpreterPrefix: null,
    });
    const mounts = spec.HostConfig?.Mounts ?? [];
    // Every addons path is inside a bind mount that keeps host paths.
    for (const addons of facts.addonsPaths) {
      const mount = mounts.find(
        (m) => m.Source !== undefined && (addons === m.Source || addons.startsWith(`${m.Source}/`)),
      );
      expect(mount, addons).toMatchObject({ Type: 'bind', Target: mount?.Source });
    }
    expect(mounts.find((m) => m.Source === instance.dir)).toMatchObject({ ReadOnly: false });
  });

  it('pulls a new commit, updates exactly the touched module and restarts', async () => {
    await installModules(['mod_a', 'mod_b']);
    const [before] = await repos();
    const logBefore = (await odooLog()).length;
    const pidsBefore = (await detail()).processes.map((p) => p.pid);
    const next = await pushChange(modules.work, 'main', 'mod_a/models/thing.py', 'THING = 2\n');

    const job = await pull(REPO_ID);
    expect(job).toMatchObject({ kind: 'repo_pull', target: NAME, state: 'succeeded' });
    const [repo] = await repos();
    expect(repo).toMatchObject({
      commit: next,
      lastPull: { from: before?.commit, to: next, modules: ['mod_a'] },
    });
    expect(repo?.lastPullAt).not.toBe(before?.lastPullAt);
    const path = join(checkouts(), REPO_ID);
    expect(await git(path, ['rev-parse', 'HEAD'])).toBe(next);
    expect(await readFile(join(path, 'mod_a/models/thing.py'), 'utf8')).toBe('THING = 2\n');

    // What the stand-in Odoo logged since: the -u of mod_a alone.
    const log = (await odooLog()).slice(logBefore);
    expect(log).toMatch(/odoo\.modules\.loading: module mod_a: updated/);
    expect(log).not.toMatch(/module mod_b: updated/);
    const text = await jobLog(root, job.id);
    expect(text).toContain(`Updating mod_a in ${database}`);
    expect(text).toContain(`Repository ${REPO_ID} is at ${next}`);
    const after = await detail();
    expect(after.status).toBe('running');
    expect(after.processes.map((p) => p.pid)).not.toEqual(pidsBefore);
  }, 180_000);

  it('ignores commits on another branch', async () => {
    const [before] = await repos();
    await pushChange(modules.work, 'other', 'mod_b/models/thing.py', 'THING = 3\n');
    const job = await pull(REPO_ID);
    expect(job.state).toBe('succeeded');
    const [repo] = await repos();
    expect(repo).toMatchObject({
      commit: before?.commit,
      lastPull: { from: before?.commit, to: before?.commit, modules: [] },
    });
    expect(await jobLog(root, job.id)).toContain(`Already up to date at ${before?.commit ?? ''}`);
    expect(await readFile(join(checkouts(), REPO_ID, 'mod_b/models/thing.py'), 'utf8')).toBe(
      'THING = 1\n',
    );
  }, 120_000);

  it('records touched modules without -u when updateModules is false', async () => {
    const logBefore = (await odooLog()).length;
    const next = await pushChange(modules.work, 'main', 'mod_b/__init__.py', '# changed\n');
    const job = await pull(REPO_ID, { updateModules: false });
    expect(job.state).toBe('succeeded');
    const [repo] = await repos();
    expect(repo).toMatchObject({ commit: next, lastPull: { to: next, modules: ['mod_b'] } });
    expect((await odooLog()).slice(logBefore)).not.toMatch(/: updated/);
  }, 120_000);

  it('refuses a second pull of the same repository while one runs', async () => {
    await pushChange(modules.work, 'main', 'README.md', 'Changed\n');
    const first = await post(`/v1/instances/${NAME}/repos/${REPO_ID}/pull`, {});
    expect(first.status).toBe(202);
    const viaClient = await client()
      .pullRepo(NAME, REPO_ID)
      .catch((error: unknown) => error);
    expect(viaClient).toBeInstanceOf(AgentClientError);
    expect(viaClient).toMatchObject({ status: 409, agentCode: 'pull_in_progress' });
    const second = await post(`/v1/instances/${NAME}/repos/${REPO_ID}/pull`, {});
    await expectError(
      second,
      409,
      'pull_in_progress',
      /^A pull of repository "mods-main" is already running \(job j_/,
    );
    const removal = await call(`/v1/instances/${NAME}/repos/${REPO_ID}`, { method: 'DELETE' });
    await expectError(removal, 409, 'pull_in_progress', /is being pulled/);
    const { job } = JobAccepted.parse(await first.json());
    expect((await jobEnd(app, config.token, job.id, 120_000)).state).toBe('succeeded');
    const [repo] = await repos();
    // Outside any module: nothing to update.
    expect(repo?.lastPull?.modules).toEqual([]);
  }, 120_000);

  it('refuses bad input and leaves nothing behind', async () => {
    const pathBefore = await addonsPath();
    const reposBefore = await repos();
    const cases: [unknown, number, string, string | RegExp][] = [
      [
        { url: 'ftp://example.com/x.git', branch: 'main' },
        400,
        'bad_request',
        /url: Use an https:\/\//,
      ],
      [{ url: '--upload-pack=touch', branch: 'main' }, 400, 'bad_request', /url: /],
      [
        { url: 'https://user:secret@example.com/x.git', branch: 'main' },
        400,
        'bad_request',
        'url: Remove the password from the URL and give it as the access token instead',
      ],
      [{ url, branch: '-bad' }, 400, 'bad_request', 'branch: This is not a valid git branch name'],
      [{ url, branch: 'main', token: 'two words' }, 400, 'bad_request', /token: /],
      [{ id: 'Bad_Id', url, branch: 'main' }, 400, 'bad_request', /^id: Repository id/],
      [
        { id: REPO_ID, url, branch: 'other' },
        409,
        'conflict',
        `Instance "${NAME}" already has a repository with the id "${REPO_ID}"`,
      ],
      [
        { url: `${url}/`, branch: 'main' },
        409,
        'conflict',
        /^Branch main of .* is already on instance/,
      ],
    ];
    for (const [body, status, code, message] of cases) {
      await expectError(await post(`/v1/instances/${NAME}/repos`, body), status, code, message);
    }
    await expectError(
      await post('/v1/instances/no_such_instance/repos', { url, branch: 'main' }),
      404,
      'not_found',
      'No instance named "no_such_instance" on this server',
    );
    await expectError(
      await post(`/v1/instances/${NAME}/repos/nope/pull`, {}),
      404,
      'not_found',
      `Instance "${NAME}" has no repository "nope"`,
    );
    await expectError(
      await call(`/v1/instances/${NAME}/repos/nope`, { method: 'DELETE' }),
      404,
      'not_found',
      `Instance "${NAME}" has no repository "nope"`,
    );

    // Refused by git: the job fails and takes everything back.
    const failures: [unknown, string, RegExp][] = [
      [
        { url: pathToFileURL(join(dir, 'missing.git')).href, branch: 'main' },
        'git_clone_failed',
        /^git could not clone branch main of file:\/\/.*missing\.git/,
      ],
      [{ url, branch: 'no-such-branch' }, 'git_branch_not_found', /has no branch "no-such-branch"/],
    ];
    for (const [body, code, message] of failures) {
      const job = await finished(await post(`/v1/instances/${NAME}/repos`, body));
      expect(job.state).toBe('failed');
      expect(job.error?.code).toBe(code);
      expect(job.error?.message).toMatch(message);
    }
    expect(await repos()).toEqual(reposBefore);
    expect(await readdir(checkouts())).toEqual([REPO_ID]);
    expect(await addonsPath()).toEqual(pathBefore);
    expect((await detail()).status).toBe('running');
  }, 180_000);

  it('removes the repository: off the addons_path, off the disk, instance restarted', async () => {
    const path = join(checkouts(), REPO_ID);
    const pidsBefore = (await detail()).processes.map((p) => p.pid);
    expect(await client().removeRepo(NAME, REPO_ID)).toEqual({ ok: true });
    expect(await client().listRepos(NAME)).toEqual({ repos: [] });
    expect(await addonsPath()).not.toContain(path);
    await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
    const after = await detail();
    expect(after.status).toBe('running');
    expect(after.processes.map((p) => p.pid)).not.toEqual(pidsBefore);
  }, 120_000);

  it('goes with the instance when it is deleted', async () => {
    const accepted = await client().addRepo(NAME, { id: 'again', url, branch: 'main' });
    expect(accepted.repo).toMatchObject({ id: 'again', commit: null });
    const job = await jobEnd(app, config.token, accepted.job.id, 120_000);
    expect(job.state).toBe('succeeded');
    expect(await readdir(checkouts())).toEqual(['again']);
    const response = await call(`/v1/instances/${NAME}`, { method: 'DELETE' });
    expect(response.status, await response.clone().text()).toBe(200);
    await expect(stat(join(root, 'instances', NAME))).rejects.toMatchObject({ code: 'ENOENT' });
  }, 180_000);
});
