import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmod, readFile, stat } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { builtArtefact, REPO_ROOT } from '../support/repo-paths';
import { createTempDir } from '../support/temp-dir';
import type { TempDir } from '../support/temp-dir';

// The README's start command, run as a new user would (minus the install/build that the test
// command has just done): embedded PostgreSQL, a local agent, the control plane and the panel.
describe('scripts/start.sh', () => {
  let dataDir: TempDir;
  let script: ChildProcess;
  let agentPort: number;
  const lines: string[] = [];
  let controlUrl = '';
  let credentials = { email: '', password: '' };

  beforeAll(async () => {
    builtArtefact('agent');
    builtArtefact('control');
    builtArtefact('panel');
    // Under /tmp: the embedded PostgreSQL runs as user postgres and must reach its directory.
    dataDir = await createTempDir('ordo-e2e-start');
    await chmod(dataDir.path, 0o755);
    agentPort = await freePort();
    script = spawn('bash', [join(REPO_ROOT, 'scripts/start.sh')], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: process.env.HOME ?? '/root',
        ORDO_START_SKIP_BUILD: '1',
        ORDO_DATA_DIR: dataDir.path,
        ORDO_LOCAL_AGENT_PORT: String(agentPort),
        HOST: '127.0.0.1',
        PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    createInterface({ input: script.stderr as NodeJS.ReadableStream }).on('line', (line) =>
      lines.push(line),
    );
    const stdout = createInterface({ input: script.stdout as NodeJS.ReadableStream });
    controlUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`start.sh did not come up in time:\n${lines.join('\n')}`)),
        90_000,
      );
      script.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`start.sh exited with ${code}:\n${lines.join('\n')}`));
      });
      stdout.on('line', (line) => {
        lines.push(line);
        const url = listeningUrl(line);
        if (url !== null) {
          clearTimeout(timer);
          script.removeAllListeners('exit');
          resolve(url);
        }
      });
    });
    credentials = parseBanner(lines.join('\n'));
  });

  afterAll(async () => {
    if (script.exitCode === null && script.signalCode === null) {
      script.kill('SIGKILL');
    }
    await dataDir.remove();
  });

  it('prints the first admin credentials once, and they sign in', async () => {
    expect(credentials.email).toBe('admin@ordo.local');
    expect(credentials.password).toMatch(/^\S{16,}$/);
    const cookie = await signIn(controlUrl, credentials);
    expect(cookie).toMatch(/^ordo_session=/);
  });

  it('registers the local agent as server "local", already active', async () => {
    const cookie = await signIn(controlUrl, credentials);
    const response = await fetch(`${controlUrl}/trpc/servers.list`, { headers: { cookie } });
    expect(response.status).toBe(200);
    const body = ServersAnswer.parse(await response.json());
    const local = body.result.data.find((server) => server.name === 'local');
    expect(local?.agentUrl).toBe(`http://127.0.0.1:${agentPort}`);
    expect(local?.status).toBe('active');
    expect(local?.agentVersion).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('serves the panel and keeps its state under ORDO_DATA_DIR', async () => {
    const page = await fetch(`${controlUrl}/servers`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="app"></div>');
    const token = await readFile(join(dataDir.path, 'agent/token'), 'utf8');
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    await expect(readFile(join(dataDir.path, 'pg/PG_VERSION'), 'utf8')).resolves.toMatch(/^\d+/);
    // Odoo refuses the postgres superuser, so the local agent got a role of its own.
    expect(lines.join('\n')).toContain('instances will use PostgreSQL role ordo_odoo');
    expect((await stat(join(dataDir.path, 'agent/pg-password'))).mode & 0o777).toBe(0o600);
  });

  it('stops the agent, the control plane and PostgreSQL on Ctrl-C', async () => {
    const pgPort = Number(await readFile(join(dataDir.path, 'pg/ordo-port'), 'utf8'));
    const exited = new Promise<number | null>((resolve) => script.once('exit', resolve));
    script.kill('SIGINT');
    await exited;
    await expect(portOpen(agentPort)).resolves.toBe(false);
    await expect(portOpen(Number(new URL(controlUrl).port))).resolves.toBe(false);
    await expect(waitUntilClosed(pgPort)).resolves.toBe(true);
  });
});

const ServersAnswer = z.object({
  result: z.object({
    data: z.array(
      z.object({
        name: z.string(),
        agentUrl: z.string(),
        status: z.string(),
        agentVersion: z.string().nullable(),
      }),
    ),
  }),
});

const ListeningLine = z.object({ msg: z.literal('control plane listening'), url: z.string() });

function listeningUrl(line: string): string | null {
  try {
    const parsed = ListeningLine.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data.url : null;
  } catch {
    return null;
  }
}

function parseBanner(output: string): { email: string; password: string } {
  const email = /^\s*email:\s+(\S+)$/m.exec(output)?.[1];
  const password = /^\s*password:\s+(\S+)$/m.exec(output)?.[1];
  if (email === undefined || password === undefined) {
    throw new Error(`no first-admin banner in the output:\n${output}`);
  }
  return { email, password };
}

async function signIn(url: string, body: { email: string; password: string }): Promise<string> {
  const response = await fetch(`${url}/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  const cookie = response.headers.get('set-cookie') ?? '';
  return cookie.split(';')[0] ?? '';
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitUntilClosed(port: number): Promise<boolean> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    if (!(await portOpen(port))) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}
