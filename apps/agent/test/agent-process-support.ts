import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdtemp, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { createAgentClient, type AgentClient } from '@ordo/protocol';

const run = promisify(execFile);
const REPO = resolve(import.meta.dirname, '../../..');
const AGENT_DIR = resolve(REPO, 'apps/agent');

/**
 * Builds the agent into a temp dir (never apps/agent/dist, so tests do not race a real build)
 * and resolves to that dir; the caller removes it. The temp app links to the real sources so
 * esbuild resolves node_modules from the repo.
 */
export async function buildStandaloneAgent(): Promise<string> {
  const buildDir = await mkdtemp(join(tmpdir(), 'ordo-agent-build-'));
  await copyFile(join(AGENT_DIR, 'package.json'), join(buildDir, 'package.json'));
  await symlink(join(AGENT_DIR, 'src'), join(buildDir, 'src'), 'dir');
  await symlink(join(AGENT_DIR, 'odoo-addons'), join(buildDir, 'odoo-addons'), 'dir');
  await run(process.execPath, [join(REPO, 'scripts/build-node-app.mjs'), buildDir, '--standalone']);
  return buildDir;
}

export interface AgentProcess {
  child: ChildProcess;
  client: AgentClient;
  exited: Promise<number | null>;
  output: () => string;
}

/** Runs `node dist/main.js` with exactly `env`; resolves once it listens. */
export async function startAgentProcess(
  buildDir: string,
  env: Record<string, string | undefined>,
): Promise<AgentProcess> {
  const child = spawn(process.execPath, [join(buildDir, 'dist/main.js')], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  let output = '';
  const url = await new Promise<string>((found, fail) => {
    // An agent that never says where it listens must not outlive the test.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`the agent did not start listening within 20 s:\n${output}`));
    }, 20_000);
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      output += `${line}\n`;
      const entry: unknown = JSON.parse(line);
      if (typeof entry === 'object' && entry !== null && 'url' in entry) {
        clearTimeout(timer);
        found(String(entry.url));
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      fail(new Error(`agent exited with ${code}:\n${output}`));
    });
  });
  return {
    child,
    exited,
    output: () => output,
    client: createAgentClient({ baseUrl: url, token: env.ORDO_AGENT_TOKEN ?? '' }),
  };
}

export async function kill(agent: AgentProcess, signal: NodeJS.Signals = 'SIGKILL') {
  agent.child.kill(signal);
  return agent.exited;
}
