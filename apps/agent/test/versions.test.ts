import { execFile } from 'node:child_process';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  AgentClientError,
  createAgentClient,
  Job,
  type AgentClient,
  type JobLogEvent,
} from '@ordo/protocol';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startAgent, type AgentConfig } from '../src';
import { captureLogger, testConfig, useTempDir } from './helpers';
import { isRunning, waitFor } from './job-support';
import { fakePython, odooRepoUrl, slowGitBin } from './odoo-support';

const run = promisify(execFile);

interface AgentOptions {
  versions?: string[];
  python?: string | null;
  env?: Record<string, string | undefined>;
}

async function agentWithRepo(options: AgentOptions = {}) {
  const dir = await useTempDir();
  const root = join(dir, 'root');
  const repoUrl = await odooRepoUrl(dir, options.versions ?? ['17.0']);
  const config: AgentConfig = {
    ...testConfig(root),
    odooGitUrl: repoUrl,
    python: options.python ?? null,
  };
  const log = captureLogger();
  const agent = await startAgent(config, {
    logger: log.logger,
    env: { ...process.env, ...options.env },
  });
  onTestFinished(() => agent.close());
  const client = createAgentClient({ baseUrl: agent.url, token: config.token });
  return { dir, root, repoUrl, config, agent, client, log };
}

async function followToEnd(client: AgentClient, id: string) {
  const events: JobLogEvent[] = [];
  for await (const event of client.followJobLog(id)) events.push(event);
  const end = events.at(-1);
  if (end?.type !== 'end') throw new Error('no end event');
  const text = events.flatMap((event) => (event.type === 'log' ? [event.text] : [])).join('');
  return { job: end.job, text };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function agentError(promise: Promise<unknown>): Promise<AgentClientError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof AgentClientError))
    throw new Error(`expected an agent error, got ${String(error)}`);
  return error;
}

describe('versions', () => {
  it('installs a version end to end: clone, Python, virtualenv, record, then lists it', async () => {
    const linksDir = await useTempDir();
    const { root, client } = await agentWithRepo({ env: { PIP_FIND_LINKS: linksDir } });
    expect(await client.listVersions()).toEqual({ versions: [], installing: [] });

    const { job } = await client.installVersion(
      { version: '17.0', edition: 'community' },
      { requestedBy: 'admin@example.com' },
    );
    expect(job).toMatchObject({
      kind: 'version.install',
      target: '17.0',
      state: 'pending',
      requestedBy: 'admin@example.com',
    });

    const progress: number[] = [];
    const events: JobLogEvent[] = [];
    let seenRunning: Job | null = null;
    for await (const event of client.followJobLog(job.id)) {
      events.push(event);
      if (seenRunning === null) {
        seenRunning = await client.getJob(job.id);
        expect((await client.listVersions()).installing).toEqual(['17.0']);
      }
      const current = await client.getJob(job.id);
      if (current.progress !== null) progress.push(current.progress);
    }
    expect(seenRunning?.state).toBe('running');
    const end = events.at(-1);
    expect(end?.type === 'end' && end.job).toMatchObject({
      state: 'succeeded',
      progress: 1,
      error: null,
    });
    expect(progress).toEqual([...progress].sort((a, b) => a - b));

    const log = events.flatMap((event) => (event.type === 'log' ? [event.text] : [])).join('');
    expect(log).toContain('Cloning branch 17.0 of file://');
    expect(log).toMatch(/^Receiving objects: 100% /m);
    expect(log).toContain(`Looking in links: ${linksDir}`);
    expect(log).toMatch(/^Using Python 3\.1[0-2]\.\d+ \(.+\); Odoo 17\.0 needs 3\.10–3\.12$/m);
    expect(log).toMatch(/Succeeded\n$/);

    const { versions, installing } = await client.listVersions();
    expect(installing).toEqual([]);
    expect(versions).toEqual([
      {
        version: '17.0',
        edition: 'community',
        python: expect.stringMatching(/^3\.1[0-2]\.\d+$/) as string,
        path: join(root, 'versions', '17.0'),
        instances: 0,
      },
    ]);
    const dir = join(root, 'versions', '17.0');
    expect(await exists(join(dir, 'odoo', 'odoo-bin'))).toBe(true);
    expect(await readdir(join(root, 'versions'))).toEqual(['17.0']);

    // The virtualenv works from where it was moved to, scripts included.
    const { stdout } = await run(join(dir, 'venv', 'bin', 'python'), [
      '-c',
      'import sys; print(sys.prefix)',
    ]);
    expect(stdout.trim()).toBe(join(dir, 'venv'));
    const pip = await run(join(dir, 'venv', 'bin', 'pip'), ['--version']);
    expect(pip.stdout).toContain(join(dir, 'venv'));
    expect(await readFile(join(dir, 'venv', 'pyvenv.cfg'), 'utf8')).not.toContain('.partial');

    const record: unknown = JSON.parse(await readFile(join(dir, 'version.json'), 'utf8'));
    expect(record).toMatchObject({
      version: '17.0',
      jobId: job.id,
      commit: expect.stringMatching(/^[0-9a-f]{40}$/) as string,
    });

    // Instances using it are counted.
    await mkdir(join(root, 'instances', 'acme'), { recursive: true });
    await writeFile(
      join(root, 'instances', 'acme', 'instance.json'),
      JSON.stringify({
        name: 'acme',
        version: '17.0',
        edition: 'community',
        type: 'production',
        database: 'acme',
        httpPort: 8069,
        createdAt: new Date().toISOString(),
      }),
    );
    expect((await client.listVersions()).versions[0]?.instances).toBe(1);

    const again = await agentError(
      client.installVersion({ version: '17.0', edition: 'community' }),
    );
    expect(again).toMatchObject({
      status: 409,
      agentCode: 'conflict',
      message: 'Odoo 17.0 is already installed',
    });
  }, 60_000);

  it('refuses a second install of a version being installed, and cancels the first cleanly', async () => {
    const dir = await useTempDir();
    const pidFile = join(dir, 'git.pids');
    const bin = await slowGitBin(dir, pidFile);
    const { root, client } = await agentWithRepo({
      env: { PATH: `${bin}:${process.env.PATH ?? ''}` },
    });

    const { job } = await client.installVersion({ version: '17.0', edition: 'community' });
    const gitPid = await waitFor(
      async () => Number((await readFile(pidFile, 'utf8').catch(() => '')).trim()) || undefined,
      'the slow git to start',
    );
    expect(await isRunning(gitPid)).toBe(true);
    expect(await exists(join(root, 'versions', '.17.0.partial'))).toBe(true);
    expect(await client.listVersions()).toEqual({ versions: [], installing: ['17.0'] });

    const second = await agentError(
      client.installVersion({ version: '17.0', edition: 'community' }),
    );
    expect(second).toMatchObject({
      status: 409,
      agentCode: 'conflict',
      message: `Version 17.0 is already being installed (job ${job.id})`,
    });

    const cancel = await client.cancelJob(job.id);
    expect(cancel.job.id).toBe(job.id);
    const { job: ended, text } = await followToEnd(client, job.id);
    expect(ended).toMatchObject({
      state: 'cancelled',
      error: { code: 'cancelled', message: 'Cancelled on request' },
    });
    expect(text).toContain('Cancel requested\n');
    expect(await isRunning(gitPid)).toBe(false);
    expect(await readdir(join(root, 'versions'))).toEqual([]);
    expect(await client.listVersions()).toEqual({ versions: [], installing: [] });
  }, 30_000);

  it('fails a running install as agent_stopped when the agent stops, removing the partial', async () => {
    const dir = await useTempDir();
    const pidFile = join(dir, 'git.pids');
    const bin = await slowGitBin(dir, pidFile);
    const { root, client, agent } = await agentWithRepo({
      env: { PATH: `${bin}:${process.env.PATH ?? ''}` },
    });
    const { job } = await client.installVersion({ version: '17.0', edition: 'community' });
    const gitPid = await waitFor(
      async () => Number((await readFile(pidFile, 'utf8').catch(() => '')).trim()) || undefined,
      'the slow git to start',
    );

    await agent.close();
    const record = Job.parse(
      JSON.parse(await readFile(join(root, 'jobs', `${job.id}.json`), 'utf8')),
    );
    expect(record).toMatchObject({
      state: 'failed',
      error: { code: 'agent_stopped', message: 'The agent stopped while this job was running' },
    });
    expect(await isRunning(gitPid)).toBe(false);
    expect(await readdir(join(root, 'versions'))).toEqual([]);
    expect(await exists(join(root, 'jobs', `${job.id}.procs.json`))).toBe(false);
  }, 30_000);

  it("fails with git's message when the branch does not exist, leaving nothing behind", async () => {
    const { root, client, repoUrl } = await agentWithRepo({ versions: ['17.0'] });
    const { job } = await client.installVersion({ version: '18.0', edition: 'community' });
    const { job: ended, text } = await followToEnd(client, job.id);
    expect(ended.state).toBe('failed');
    expect(ended.error).toEqual({
      code: 'git_clone_failed',
      message: `git could not clone branch 18.0 of ${repoUrl} (exit 128): fatal: Remote branch 18.0 not found in upstream origin`,
    });
    expect(text).toContain('warning: Could not find remote branch 18.0 to clone.');
    expect(await readdir(join(root, 'versions'))).toEqual([]);
  });

  it('fails naming what it found when no Python fits the version', async () => {
    const dir = await useTempDir();
    const python = await fakePython(join(dir, 'old'), '3.9.2');
    const { root, client } = await agentWithRepo({ python });
    const { job } = await client.installVersion({ version: '17.0', edition: 'community' });
    const { job: ended } = await followToEnd(client, job.id);
    expect(ended.error).toEqual({
      code: 'no_python',
      message:
        `No Python fits Odoo 17.0 (needs 3.10–3.12); found: 3.9.2 (${python}). ` +
        'Set ORDO_PYTHON or install a fitting Python with pyenv.',
    });
    expect(await readdir(join(root, 'versions'))).toEqual([]);
  });

  it.each([
    [
      { version: '13.0', edition: 'community' },
      'version: Odoo 13.0 is not supported (supported: 14.0, 15.0, 16.0, 17.0, 18.0, 19.0)',
    ],
    [
      { version: 'abc', edition: 'community' },
      'version: must be an Odoo series such as "17.0" (supported: 14.0, 15.0, 16.0, 17.0, 18.0, 19.0)',
    ],
    [
      { version: '17.0', edition: 'gold' },
      'edition: Invalid option: expected one of "community"|"enterprise"',
    ],
    [{ version: '17.0' }, 'edition: Invalid option: expected one of "community"|"enterprise"'],
    [
      { version: '17.0', edition: 'enterprise' },
      'Install the Community edition first, then upgrade it to Enterprise',
    ],
  ])('answers 400 to %j', async (body, message) => {
    const { agent, config } = await agentWithRepo();
    const res = await fetch(`${agent.url}/v1/versions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${config.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'bad_request', message } });
  });

  it('answers 400 to a body that is not JSON', async () => {
    const { agent, config } = await agentWithRepo();
    const res = await fetch(`${agent.url}/v1/versions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${config.token}` },
      body: 'version=17.0',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: { code: 'bad_request', message: 'The request body must be a JSON object' },
    });
  });
});
