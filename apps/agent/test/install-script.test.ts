import { execFile, spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { AGENT_SERVICE_NAME, createAgentClient } from '@ordo/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_VERSION } from '../src';
import { useTempDir } from './helpers';

const run = promisify(execFile);
const REPO = resolve(import.meta.dirname, '../../..');
const AGENT_DIR = resolve(REPO, 'apps/agent');
const SCRIPT = resolve(REPO, 'scripts/install-agent.sh');

let buildDir: string;
let distDir: string;

// The agent is built into a temp dir (not apps/agent/dist) so this test never races a real build.
// The temp app links to the real sources, so esbuild still resolves node_modules from the repo.
beforeAll(async () => {
  buildDir = await mkdtemp(join(tmpdir(), 'ordo-agent-build-'));
  await copyFile(join(AGENT_DIR, 'package.json'), join(buildDir, 'package.json'));
  await symlink(join(AGENT_DIR, 'src'), join(buildDir, 'src'), 'dir');
  await symlink(join(AGENT_DIR, 'odoo-addons'), join(buildDir, 'odoo-addons'), 'dir');
  await run(process.execPath, [join(REPO, 'scripts/build-node-app.mjs'), buildDir, '--standalone']);
  distDir = join(buildDir, 'dist');
}, 60_000);

afterAll(async () => {
  await rm(buildDir, { recursive: true, force: true });
});

interface ScriptResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function installScript(args: string[]): Promise<ScriptResult> {
  try {
    const { stdout, stderr } = await run('bash', [SCRIPT, '--from', distDir, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    if (isExecFailure(error)) return error;
    throw error;
  }
}

/** execFile rejects with the exit code and the captured output attached to the error. */
function isExecFailure(error: unknown): error is ScriptResult {
  return (
    error instanceof Error &&
    'code' in error &&
    typeof error.code === 'number' &&
    'stdout' in error &&
    typeof error.stdout === 'string' &&
    'stderr' in error &&
    typeof error.stderr === 'string'
  );
}

async function install(prefix: string, args: string[] = []): Promise<ScriptResult> {
  const result = await installScript(['--prefix', prefix, ...args]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result;
}

function printedToken(stdout: string): string {
  const match = /^ {2}Token: (\S+)$/m.exec(stdout);
  if (!match?.[1]) throw new Error(`no token printed in:\n${stdout}`);
  return match[1];
}

async function mode(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function readEnvFile(prefix: string): Promise<Record<string, string>> {
  const text = await readFile(join(prefix, 'etc/ordo/agent.env'), 'utf8');
  return Object.fromEntries(
    text
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

describe('scripts/install-agent.sh', () => {
  it('installs the agent, a 64-hex token, the env file and the unit with the right modes', async () => {
    const prefix = await useTempDir();
    const { stdout } = await install(prefix, [
      '--host',
      '0.0.0.0',
      '--port',
      '9123',
      '--root',
      '/srv/ordo',
      '--runtime',
      'docker',
      '--public-url',
      'https://agent1.example.com',
    ]);

    const token = printedToken(stdout);
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(stdout).toContain('Agent URL: https://agent1.example.com\n');
    expect(stdout).toContain('Servers -> Add a server');
    expect(stdout.split(token)).toHaveLength(2);

    expect((await readFile(join(prefix, 'etc/ordo/agent.token'), 'utf8')).trim()).toBe(token);
    expect(await mode(join(prefix, 'etc/ordo/agent.token'))).toBe(0o600);
    expect(await mode(join(prefix, 'etc/ordo/agent.env'))).toBe(0o640);
    expect(await mode(join(prefix, 'etc/ordo'))).toBe(0o750);
    expect(await mode(join(prefix, 'srv/ordo'))).toBe(0o750);
    expect(await mode(join(prefix, 'opt/ordo/agent/main.js'))).toBe(0o644);
    // Ordo's Odoo module ("Connect as") is installed beside main.js, where the agent looks.
    expect(
      await mode(join(prefix, 'opt/ordo/agent/odoo-addons/ordo_connect/controllers/main.py')),
    ).toBe(0o644);

    expect(await readEnvFile(prefix)).toEqual({
      ORDO_AGENT_HOST: '0.0.0.0',
      ORDO_AGENT_PORT: '9123',
      ORDO_AGENT_ROOT: '/srv/ordo',
      ORDO_AGENT_PG_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
      ORDO_AGENT_RUNTIME: 'docker',
      ORDO_AGENT_TOKEN_FILE: '/etc/ordo/agent.token',
    });

    const unit = await readFile(join(prefix, 'etc/systemd/system/ordo-agent.service'), 'utf8');
    const { stdout: nodePath } = await run('readlink', ['-f', process.execPath]);
    for (const line of [
      'User=ordo',
      'EnvironmentFile=/etc/ordo/agent.env',
      `ExecStart=${nodePath.trim()} /opt/ordo/agent/main.js`,
      'Restart=on-failure',
      'NoNewPrivileges=true',
      'ProtectSystem=full',
      'ReadWritePaths=/srv/ordo',
      'PrivateTmp=true',
      'WantedBy=multi-user.target',
    ]) {
      expect(unit.split('\n')).toContain(line);
    }
    expect(unit).not.toContain(token);
  });

  it('keeps the token and the settings on a re-run, and replaces the token with --rotate-token', async () => {
    const prefix = await useTempDir();
    const first = printedToken((await install(prefix, ['--port', '9200'])).stdout);

    const again = await install(prefix);
    expect(printedToken(again.stdout)).toBe(first);
    expect(again.stdout).toContain('Agent URL: http://127.0.0.1:9200\n');
    expect((await readEnvFile(prefix)).ORDO_AGENT_PORT).toBe('9200');

    const rotated = printedToken((await install(prefix, ['--rotate-token'])).stdout);
    expect(rotated).toMatch(/^[0-9a-f]{64}$/);
    expect(rotated).not.toBe(first);
    expect((await readFile(join(prefix, 'etc/ordo/agent.token'), 'utf8')).trim()).toBe(rotated);
    expect(await mode(join(prefix, 'etc/ordo/agent.token'))).toBe(0o600);
  });

  it('installs an agent that starts from its env file and answers with the token', async () => {
    const prefix = await useTempDir();
    const token = printedToken((await install(prefix, ['--root', '/data/ordo'])).stdout);
    const env = await readEnvFile(prefix);

    const child = spawn(process.execPath, [join(prefix, 'opt/ordo/agent/main.js')], {
      cwd: prefix,
      env: {
        PATH: process.env.PATH,
        ...env,
        ORDO_AGENT_PORT: '0',
        ORDO_AGENT_ROOT: join(prefix, env.ORDO_AGENT_ROOT ?? ''),
        ORDO_AGENT_TOKEN_FILE: join(prefix, env.ORDO_AGENT_TOKEN_FILE ?? ''),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    let output = '';
    try {
      const url = await new Promise<string>((found, fail) => {
        const lines = createInterface({ input: child.stdout });
        lines.on('line', (line) => {
          output += `${line}\n`;
          const entry: unknown = JSON.parse(line);
          if (typeof entry === 'object' && entry !== null && 'url' in entry)
            found(String(entry.url));
        });
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        void exited.then((code) => fail(new Error(`agent exited with ${code}:\n${output}`)));
      });

      const client = createAgentClient({ baseUrl: url, token });
      expect(await client.health()).toEqual({
        ok: true,
        service: AGENT_SERVICE_NAME,
        version: AGENT_VERSION,
      });
      expect(await client.info()).toMatchObject({ version: AGENT_VERSION, runtime: 'native' });
      await expect(
        createAgentClient({ baseUrl: url, token: token.replace(/.$/, 'x') }).info(),
      ).rejects.toMatchObject({ code: 'unauthorized' });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(output).not.toContain(token);
  }, 20_000);

  it('uninstalls the files but keeps the data root, twice, and --purge deletes the root', async () => {
    const prefix = await useTempDir();
    await install(prefix, ['--root', '/data/ordo']);
    await mkdir(join(prefix, 'data/ordo/instances'), { recursive: true });

    const { stdout } = await install(prefix, ['--uninstall']);
    expect(stdout).toContain(`Kept the data root ${join(prefix, 'data/ordo')}`);
    for (const path of [
      'etc/ordo/agent.token',
      'etc/ordo/agent.env',
      'etc/systemd/system/ordo-agent.service',
      'opt/ordo/agent',
    ]) {
      expect(await exists(join(prefix, path)), path).toBe(false);
    }
    expect(await exists(join(prefix, 'data/ordo/instances'))).toBe(true);

    await install(prefix, ['--uninstall']);
    await install(prefix, ['--uninstall', '--purge', '--root', '/data/ordo']);
    expect(await exists(join(prefix, 'data/ordo'))).toBe(false);
  });

  it('purges the data root recorded by the install', async () => {
    const prefix = await useTempDir();
    await install(prefix, ['--root', '/data/custom']);
    await install(prefix, ['--uninstall', '--purge']);
    expect(await exists(join(prefix, 'data/custom'))).toBe(false);
  });

  it.each([
    [['--port', 'http'], '--port must be an integer between 1 and 65535, got: http'],
    [['--port', '70000'], '--port must be an integer between 1 and 65535, got: 70000'],
    [['--host', 'a b'], '--host must be a host name or IP address, got: a b'],
    [['--runtime', 'lxc'], '--runtime must be native or docker, got: lxc'],
    [
      ['--root', 'relative'],
      "--root must be an absolute path of letters, digits, '.', '_', '-' and '/', got: relative",
    ],
    [
      ['--root', '/'],
      "--root must be an absolute path of letters, digits, '.', '_', '-' and '/', got: /",
    ],
    [
      ['--pg-url', 'mysql://x'],
      '--pg-url must be a postgres:// URL without spaces, quotes or backslashes',
    ],
    [
      ['--pg-url', 'postgres://a"b@h/db'],
      '--pg-url must be a postgres:// URL without spaces, quotes or backslashes',
    ],
    [['--purge'], '--purge only makes sense with --uninstall'],
    [['--port'], '--port needs a value (see --help)'],
    [['--frobnicate'], 'unknown option: --frobnicate (see --help)'],
  ])('refuses %j', async (args, message) => {
    const prefix = await useTempDir();
    const result = await installScript(['--prefix', prefix, ...args]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`install-agent: ${message}\n`);
    expect(await exists(join(prefix, 'etc/ordo/agent.token'))).toBe(false);
  });

  it('refuses a directory without a built agent', async () => {
    const prefix = await useTempDir();
    const empty = await useTempDir();
    const result = await installScript(['--prefix', prefix, '--from', empty]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `install-agent: no main.js in ${empty}: build the agent first (pnpm build)\n`,
    );
  });
});
