import { mkdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, formatConfigError, loadAgentConfig, type Environment } from '../src';
import { newToken, useTempDir } from './helpers';

const TOKEN = newToken();

function configIssues(env: Environment): string[] {
  try {
    loadAgentConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => `${i.setting}: ${i.message}`);
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadAgentConfig', () => {
  it('applies the documented defaults', () => {
    expect(loadAgentConfig({ ORDO_AGENT_TOKEN: TOKEN })).toEqual({
      host: '127.0.0.1',
      port: 8070,
      token: TOKEN,
      root: '/var/lib/ordo-agent',
      pgUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
      runtime: 'native',
      dockerSocket: '/var/run/docker.sock',
      dockerImage: null,
      odooGitUrl: 'https://github.com/odoo/odoo.git',
      enterpriseGitUrl: 'git@github.com:odoo/enterprise.git',
      enterpriseSshTestTarget: 'git@github.com',
      python: null,
      instanceHost: '127.0.0.1',
      publicHost: hostname(),
      portRange: { from: 8100, to: 8999 },
      dbPrefix: '',
      logLevel: 'info',
    });
  });

  it('reads the instance settings and refuses a bad port range by name', () => {
    expect(
      loadAgentConfig({
        ORDO_AGENT_TOKEN: TOKEN,
        ORDO_AGENT_INSTANCE_HOST: '0.0.0.0',
        ORDO_AGENT_PUBLIC_HOST: 'odoo1.example.com',
        ORDO_AGENT_PORT_RANGE: '9000-9009',
      }),
    ).toMatchObject({
      instanceHost: '0.0.0.0',
      publicHost: 'odoo1.example.com',
      portRange: { from: 9000, to: 9009 },
    });
    for (const range of ['9009-9000', '80-90', 'x', '9000-70000']) {
      expect(() =>
        loadAgentConfig({ ORDO_AGENT_TOKEN: TOKEN, ORDO_AGENT_PORT_RANGE: range }),
      ).toThrow(
        'ORDO_AGENT_PORT_RANGE: must be a port range "from-to" within 1024-65535, e.g. 8100-8999',
      );
    }
  });

  it('reads every variable from the environment', () => {
    const config = loadAgentConfig({
      ORDO_AGENT_TOKEN: TOKEN,
      ORDO_AGENT_HOST: '0.0.0.0',
      ORDO_AGENT_PORT: '0',
      ORDO_AGENT_ROOT: '/srv/ordo',
      ORDO_AGENT_PG_URL: 'postgresql://odoo:secret@db.local:5433/postgres',
      ORDO_AGENT_RUNTIME: 'docker',
      ORDO_AGENT_DOCKER_SOCKET: '/run/podman/podman.sock',
      ORDO_AGENT_DOCKER_IMAGE: 'ordo/odoo:17',
      ORDO_ODOO_GIT_URL: '/srv/git/odoo.git',
      ORDO_ENTERPRISE_GIT_URL: '/srv/git/enterprise.git',
      ORDO_PYTHON: '/usr/bin/python3.11',
      ORDO_AGENT_LOG_LEVEL: 'debug',
    });
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 0,
      root: '/srv/ordo',
      pgUrl: 'postgresql://odoo:secret@db.local:5433/postgres',
      runtime: 'docker',
      dockerSocket: '/run/podman/podman.sock',
      dockerImage: 'ordo/odoo:17',
      odooGitUrl: '/srv/git/odoo.git',
      enterpriseGitUrl: '/srv/git/enterprise.git',
      python: '/usr/bin/python3.11',
      logLevel: 'debug',
    });
  });

  it('treats empty variables as unset', () => {
    const config = loadAgentConfig({
      ORDO_AGENT_TOKEN: TOKEN,
      ORDO_AGENT_PORT: '',
      ORDO_AGENT_HOST: ' ',
    });
    expect(config.port).toBe(8070);
    expect(config.host).toBe('127.0.0.1');
  });

  it.each([
    ['ORDO_AGENT_PORT', 'abc', 'must be an integer between 0 and 65535'],
    ['ORDO_AGENT_PORT', '65536', 'must be an integer between 0 and 65535'],
    ['ORDO_AGENT_PORT', '-1', 'must be an integer between 0 and 65535'],
    ['ORDO_AGENT_PORT', '80.5', 'must be an integer between 0 and 65535'],
    ['ORDO_AGENT_HOST', 'bad host', 'must be a host name or IP address, e.g. 127.0.0.1'],
    ['ORDO_AGENT_ROOT', 'var/agent', 'must be an absolute path'],
    [
      'ORDO_AGENT_PG_URL',
      'mysql://root@localhost/db',
      'must be a postgres:// URL, e.g. postgres://postgres@127.0.0.1:5432/postgres',
    ],
    [
      'ORDO_AGENT_PG_URL',
      'not a url',
      'must be a postgres:// URL, e.g. postgres://postgres@127.0.0.1:5432/postgres',
    ],
    ['ORDO_AGENT_RUNTIME', 'kubernetes', 'must be "native" or "docker"'],
    ['ORDO_AGENT_DOCKER_SOCKET', 'docker.sock', 'must be an absolute path'],
    [
      'ORDO_AGENT_LOG_LEVEL',
      'loud',
      'must be one of fatal, error, warn, info, debug, trace, silent',
    ],
  ])('names %s=%j: %s', (name, value, message) => {
    expect(configIssues({ ORDO_AGENT_TOKEN: TOKEN, [name]: value })).toEqual([
      `${name}: ${message}`,
    ]);
  });

  it('reports every bad setting at once', () => {
    expect(
      configIssues({ ORDO_AGENT_PORT: 'x', ORDO_AGENT_RUNTIME: 'lxc', ORDO_AGENT_TOKEN: 'short' }),
    ).toEqual([
      'ORDO_AGENT_PORT: must be an integer between 0 and 65535',
      'ORDO_AGENT_RUNTIME: must be "native" or "docker"',
      'ORDO_AGENT_TOKEN: must be at least 32 characters (generate one with: openssl rand -hex 32)',
    ]);
  });

  describe('token', () => {
    it('is required', () => {
      expect(configIssues({})).toEqual([
        'ORDO_AGENT_TOKEN: required: set ORDO_AGENT_TOKEN or ORDO_AGENT_TOKEN_FILE (the install script writes /etc/ordo/agent.token)',
      ]);
    });

    it('refuses both a token and a token file', () => {
      expect(configIssues({ ORDO_AGENT_TOKEN: TOKEN, ORDO_AGENT_TOKEN_FILE: '/etc/x' })).toEqual([
        'ORDO_AGENT_TOKEN: set either ORDO_AGENT_TOKEN or ORDO_AGENT_TOKEN_FILE, not both',
      ]);
    });

    it('refuses a token with spaces, without echoing it', () => {
      const token = `${'x'.repeat(20)} ${'y'.repeat(20)}`;
      const issues = configIssues({ ORDO_AGENT_TOKEN: token });
      expect(issues).toEqual(['ORDO_AGENT_TOKEN: must be printable ASCII without spaces']);
    });

    it('reads the token file and trims it', async () => {
      const dir = await useTempDir();
      const file = join(dir, 'agent.token');
      await writeFile(file, `  ${TOKEN}\n\n`);
      expect(loadAgentConfig({ ORDO_AGENT_TOKEN_FILE: file }).token).toBe(TOKEN);
    });

    it('names a missing token file', async () => {
      const dir = await useTempDir();
      const file = join(dir, 'missing.token');
      expect(configIssues({ ORDO_AGENT_TOKEN_FILE: file })).toEqual([
        `ORDO_AGENT_TOKEN_FILE: cannot read ${file} (no such file, ENOENT)`,
      ]);
    });

    it('names an unreadable token file', async () => {
      const dir = await useTempDir();
      expect(configIssues({ ORDO_AGENT_TOKEN_FILE: dir })).toEqual([
        `ORDO_AGENT_TOKEN_FILE: cannot read ${dir} (it is a directory, EISDIR)`,
      ]);
    });

    it('names the token file when its content is too short', async () => {
      const dir = await useTempDir();
      const file = join(dir, 'agent.token');
      await writeFile(file, 'short\n');
      expect(configIssues({ ORDO_AGENT_TOKEN_FILE: file })).toEqual([
        `ORDO_AGENT_TOKEN_FILE, contents of ${file}: must be at least 32 characters (generate one with: openssl rand -hex 32)`,
      ]);
    });
  });

  describe('config file', () => {
    async function writeConfig(content: unknown): Promise<string> {
      const dir = await useTempDir();
      const file = join(dir, 'agent.json');
      await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
      return file;
    }

    it('reads camelCase settings from the file', async () => {
      const file = await writeConfig({
        host: '10.0.0.5',
        port: 9000,
        token: TOKEN,
        root: '/srv/agent',
        runtime: 'docker',
        logLevel: 'warn',
        python: null,
      });
      expect(loadAgentConfig({ ORDO_AGENT_CONFIG: file })).toMatchObject({
        host: '10.0.0.5',
        port: 9000,
        token: TOKEN,
        root: '/srv/agent',
        runtime: 'docker',
        logLevel: 'warn',
        python: null,
      });
    });

    it('lets the environment win over the file', async () => {
      const file = await writeConfig({ port: 9000, host: '10.0.0.5', token: newToken() });
      const config = loadAgentConfig({
        ORDO_AGENT_CONFIG: file,
        ORDO_AGENT_PORT: '9100',
        ORDO_AGENT_TOKEN: TOKEN,
      });
      expect(config).toMatchObject({ port: 9100, host: '10.0.0.5', token: TOKEN });
    });

    it("ignores the file's token when the environment names a token file", async () => {
      const dir = await useTempDir();
      const tokenFile = join(dir, 'agent.token');
      await writeFile(tokenFile, TOKEN);
      const file = await writeConfig({ token: newToken() });
      expect(
        loadAgentConfig({ ORDO_AGENT_CONFIG: file, ORDO_AGENT_TOKEN_FILE: tokenFile }).token,
      ).toBe(TOKEN);
    });

    it('reads a tokenFile relative to the config file', async () => {
      const file = await writeConfig({ tokenFile: 'secrets/agent.token' });
      const dir = join(file, '..');
      await mkdir(join(dir, 'secrets'));
      await writeFile(join(dir, 'secrets/agent.token'), `${TOKEN}\n`);
      expect(loadAgentConfig({ ORDO_AGENT_CONFIG: file }).token).toBe(TOKEN);
    });

    it('names a bad value by its variable and where it came from', async () => {
      const file = await writeConfig({ port: 'eighty', token: TOKEN });
      expect(configIssues({ ORDO_AGENT_CONFIG: file })).toEqual([
        `ORDO_AGENT_PORT (port in ${file}): must be an integer between 0 and 65535`,
      ]);
    });

    it('refuses both token and tokenFile in the file', async () => {
      const file = await writeConfig({ token: TOKEN, tokenFile: '/etc/ordo/agent.token' });
      expect(configIssues({ ORDO_AGENT_CONFIG: file })).toEqual([
        `ORDO_AGENT_TOKEN (token in ${file}): set either ORDO_AGENT_TOKEN or ORDO_AGENT_TOKEN_FILE, not both`,
      ]);
    });

    it('names an unknown key', async () => {
      const file = await writeConfig({ prot: 9000, token: TOKEN });
      expect(configIssues({ ORDO_AGENT_CONFIG: file })[0]).toMatch(
        new RegExp(`^ORDO_AGENT_CONFIG: unknown setting "prot" in ${file} \\(known: .*port.*\\)$`),
      );
    });

    it('names invalid JSON', async () => {
      const file = await writeConfig('{ "port": 80,');
      const [issue] = configIssues({ ORDO_AGENT_CONFIG: file, ORDO_AGENT_TOKEN: TOKEN });
      expect(issue).toMatch(new RegExp(`^ORDO_AGENT_CONFIG: ${file} is not valid JSON \\(.+\\)$`));
    });

    it('refuses JSON that is not an object', async () => {
      const file = await writeConfig('[1, 2]');
      expect(configIssues({ ORDO_AGENT_CONFIG: file, ORDO_AGENT_TOKEN: TOKEN })).toEqual([
        `ORDO_AGENT_CONFIG: ${file} must hold a JSON object of settings`,
      ]);
    });

    it('names a missing config file', async () => {
      const dir = await useTempDir();
      const file = join(dir, 'nope.json');
      expect(configIssues({ ORDO_AGENT_CONFIG: file, ORDO_AGENT_TOKEN: TOKEN })).toEqual([
        `ORDO_AGENT_CONFIG: cannot read ${file} (no such file, ENOENT)`,
      ]);
    });
  });
});

describe('formatConfigError', () => {
  it('lists each bad setting on its own line for stderr', () => {
    const error = new ConfigError([
      { setting: 'ORDO_AGENT_PORT', message: 'must be an integer between 0 and 65535' },
      { setting: 'ORDO_AGENT_TOKEN', message: 'required' },
    ]);
    expect(formatConfigError(error)).toBe(
      'ordo-agent: invalid configuration:\n' +
        '  - ORDO_AGENT_PORT: must be an integer between 0 and 65535\n' +
        '  - ORDO_AGENT_TOKEN: required',
    );
  });
});
