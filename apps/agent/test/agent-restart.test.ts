import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdtemp, readFile, readdir, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { createAgentClient, type AgentClient, type JobLogEvent } from '@ordo/protocol';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { newToken, useTempDir } from './helpers';
import { isRunning, waitFor } from './job-support';
import { odooRepoUrl, slowGitBin } from './odoo-support';

const run = promisify(execFile);
const REPO = resolve(import.meta.dirname, '../../..');
const AGENT_DIR = resolve(REPO, 'apps/agent');

let buildDir: string;

// Built into a temp dir (see install-script.test.ts) so that a real agent process can be killed.
beforeAll(async () => {
  buildDir = await mkdtemp(join(tmpdir(), 'ordo-agent-build-'));
  await copyFile(join(AGENT_DIR, 'package.json'), join(buildDir, 'package.json'));
  await symlink(join(AGENT_DIR, 'src'), join(buildDir, 'src'), 'dir');
  await run(process.execPath, [join(REPO, 'scripts/build-node-app.mjs'), buildDir, '--standalone']);
}, 60_000);

afterAll(async () => {
  await rm(buildDir, { recursive: true, force: true });
});

interface AgentProcess {
  child: ChildProcess;
  client: AgentClient;
  exited: Promise<number | null>;
}

async function startAgentProcess(env: Record<string, string | undefined>): Promise<AgentProcess> {
  const child = spawn(process.execPath, [join(buildDir, 'dist/main.js')], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  onTestFinished(() => {
    child.kill('SIGKILL');
  });
  let output = '';
  const url = await new Promise<string>((found, fail) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      output += `${line}\n`;
      const entry: unknown = JSON.parse(line);
      if (typeof entry === 'object' && entry !== null && 'url' in entry) found(String(entry.url));
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => fail(new Error(`agent exited with ${code}:\n${output}`)));
  });
  return {
    child,
    exited,
    client: createAgentClient({ baseUrl: url, token: env.ORDO_AGENT_TOKEN ?? '' }),
  };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

describe('an agent killed during an install', () => {
  it('fails the job as agent_restarted on the next start, removes the partial install, and a retry succeeds', async () => {
    const dir = await useTempDir();
    const root = join(dir, 'root');
    const pidFile = join(dir, 'git.pids');
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ORDO_AGENT_TOKEN: newToken(),
      ORDO_AGENT_ROOT: root,
      ORDO_AGENT_PORT: '0',
      ORDO_ODOO_GIT_URL: await odooRepoUrl(dir),
    };
    const slowPath = `${await slowGitBin(dir, pidFile)}:${process.env.PATH ?? ''}`;

    const first = await startAgentProcess({ ...env, PATH: slowPath });
    const { job } = await first.client.installVersion({ version: '17.0', edition: 'community' });
    const gitPid = await waitFor(
      async () => Number((await readFile(pidFile, 'utf8').catch(() => '')).trim()) || undefined,
      'the slow git to start',
    );
    await waitFor(() => exists(join(root, 'jobs', `${job.id}.procs.json`)), 'git to be recorded');
    expect((await first.client.getJob(job.id)).state).toBe('running');

    first.child.kill('SIGKILL');
    await first.exited;
    // Its git outlives it: nothing but the next agent can stop it.
    expect(await isRunning(gitPid)).toBe(true);
    expect(await exists(join(root, 'versions', '.17.0.partial'))).toBe(true);

    const second = await startAgentProcess(env);
    const failed = await second.client.getJob(job.id);
    expect(failed).toMatchObject({
      state: 'failed',
      error: {
        code: 'agent_restarted',
        message: 'The agent restarted while this job was running',
      },
    });
    const events: JobLogEvent[] = [];
    for await (const event of second.client.followJobLog(job.id)) events.push(event);
    const log = events.flatMap((event) => (event.type === 'log' ? [event.text] : [])).join('');
    expect(log).toContain('Cloning branch 17.0');
    expect(log).toMatch(/Failed: The agent restarted while this job was running\n$/);
    expect(events.at(-1)).toMatchObject({ type: 'end', job: { state: 'failed' } });

    expect(await isRunning(gitPid)).toBe(false);
    expect(await readdir(join(root, 'versions'))).toEqual([]);
    expect(await second.client.listVersions()).toEqual({ versions: [], installing: [] });

    const retry = await second.client.installVersion({ version: '17.0', edition: 'community' });
    let ended: JobLogEvent | undefined;
    for await (const event of second.client.followJobLog(retry.job.id)) ended = event;
    expect(ended).toMatchObject({ type: 'end', job: { state: 'succeeded' } });
    expect((await second.client.listVersions()).versions.map((v) => v.version)).toEqual(['17.0']);

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 60_000);
});
