import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadControlConfig } from './config';

function issuesOf(env: NodeJS.ProcessEnv, cwd = '/srv/ordo'): Record<string, string> {
  try {
    loadControlConfig(env, cwd);
  } catch (error) {
    if (error instanceof ConfigError) {
      return Object.fromEntries(error.issues.map((i) => [i.variable, i.message]));
    }
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadControlConfig', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ordo-control-config-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('has working defaults with an empty environment', () => {
    const config = loadControlConfig({}, '/srv/ordo');
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      databaseUrl: null,
      dataDir: '/srv/ordo/var',
      secretKey: null,
      secretKeyFile: '/srv/ordo/var/secret.key',
      adminEmail: null,
      adminPassword: null,
      publicUrl: null,
      localAgent: null,
      logLevel: 'info',
      agentTimeoutMs: 10_000,
      maxUploadBytes: 20 * 1024 ** 3,
    });
    expect(config.uiDir).toMatch(/apps\/ui\/dist$/);
  });

  it('reads every variable', () => {
    const key = Buffer.alloc(32, 7);
    const config = loadControlConfig(
      {
        HOST: '0.0.0.0',
        PORT: '0',
        DATABASE_URL: 'postgres://u:p@db:5432/ordo',
        ORDO_DATA_DIR: 'data',
        ORDO_SECRET_KEY: key.toString('hex'),
        ORDO_ADMIN_EMAIL: 'Boss@Example.com',
        ORDO_ADMIN_PASSWORD: 'long enough pw',
        ORDO_PUBLIC_URL: 'https://ordo.example.com/',
        ORDO_UI_DIR: 'ui',
        ORDO_LOCAL_AGENT_URL: 'http://127.0.0.1:8070',
        ORDO_LOCAL_AGENT_TOKEN_FILE: 'agent.token',
        ORDO_LOG_LEVEL: 'debug',
        ORDO_AGENT_TIMEOUT_MS: '2500',
        ORDO_MAX_UPLOAD_BYTES: '1048576',
      },
      '/srv/ordo',
    );
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 0,
      databaseUrl: 'postgres://u:p@db:5432/ordo',
      dataDir: '/srv/ordo/data',
      secretKeyFile: '/srv/ordo/data/secret.key',
      adminEmail: 'boss@example.com',
      adminPassword: 'long enough pw',
      publicUrl: 'https://ordo.example.com',
      uiDir: '/srv/ordo/ui',
      localAgent: { url: 'http://127.0.0.1:8070', tokenFile: '/srv/ordo/agent.token' },
      logLevel: 'debug',
      agentTimeoutMs: 2500,
      maxUploadBytes: 1_048_576,
    });
    expect(config.secretKey?.equals(key)).toBe(true);
  });

  it('accepts the secret key as base64', () => {
    const key = Buffer.alloc(32, 9);
    const config = loadControlConfig({ ORDO_SECRET_KEY: key.toString('base64') });
    expect(config.secretKey?.equals(key)).toBe(true);
  });

  it('names every bad variable with a reason at once', () => {
    const error = (() => {
      try {
        loadControlConfig({
          PORT: '80000',
          DATABASE_URL: 'mysql://x',
          ORDO_SECRET_KEY: 'too-short',
          ORDO_ADMIN_EMAIL: 'not-an-email',
          ORDO_ADMIN_PASSWORD: 'short',
          ORDO_PUBLIC_URL: 'ftp://x',
          ORDO_LOG_LEVEL: 'loud',
          ORDO_AGENT_TIMEOUT_MS: 'soon',
        });
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    if (!(error instanceof ConfigError)) return;
    expect(Object.fromEntries(error.issues.map((i) => [i.variable, i.message]))).toEqual({
      PORT: 'must be between 0 and 65535',
      DATABASE_URL:
        'must be a postgres:// URL such as postgres://user:password@127.0.0.1:5432/ordo',
      ORDO_SECRET_KEY: 'must be 32 bytes written as base64 (44 characters) or hex (64 characters)',
      ORDO_ADMIN_EMAIL: 'Enter a valid email address',
      ORDO_ADMIN_PASSWORD: 'must be at least 10 characters',
      ORDO_PUBLIC_URL: 'must be an http:// or https:// URL',
      ORDO_LOG_LEVEL: 'must be one of fatal, error, warn, info, debug, trace, silent',
      ORDO_AGENT_TIMEOUT_MS: 'must be a number',
    });
    expect(error.message).toContain('PORT: must be between 0 and 65535');
    expect(error.message).toContain('ORDO_ADMIN_PASSWORD: must be at least 10 characters');
  });

  it.each([
    ['PORT', '8080.5', 'must be a whole number'],
    ['PORT', '-1', 'must be between 0 and 65535'],
    ['HOST', '   ', 'must not be empty'],
    ['ORDO_AGENT_TIMEOUT_MS', '5', 'must be at least 100 ms'],
    ['ORDO_MAX_UPLOAD_BYTES', '0', 'must be at least 1 byte'],
    ['ORDO_MAX_UPLOAD_BYTES', '1.5', 'must be a whole number of bytes'],
  ])('refuses %s=%j: %s', (variable, value, message) => {
    expect(issuesOf({ [variable]: value })).toEqual({ [variable]: message });
  });

  it('wants the local agent URL and token file together', () => {
    expect(issuesOf({ ORDO_LOCAL_AGENT_URL: 'http://127.0.0.1:8070' })).toEqual({
      ORDO_LOCAL_AGENT_TOKEN_FILE: 'must be set when ORDO_LOCAL_AGENT_URL is set',
    });
    expect(issuesOf({ ORDO_LOCAL_AGENT_TOKEN_FILE: '/x' })).toEqual({
      ORDO_LOCAL_AGENT_URL: 'must be set when ORDO_LOCAL_AGENT_TOKEN_FILE is set',
    });
  });

  it('reads the config file and lets the environment win', async () => {
    const file = join(dir, 'control.json');
    await writeFile(file, JSON.stringify({ PORT: 9090, HOST: '10.0.0.1', ORDO_LOG_LEVEL: 'warn' }));
    const config = loadControlConfig({ ORDO_CONTROL_CONFIG: file, PORT: '9191' }, dir);
    expect(config.port).toBe(9191);
    expect(config.host).toBe('10.0.0.1');
    expect(config.logLevel).toBe('warn');
  });

  it('names the config file when it is missing, not JSON, or has unknown or bad settings', async () => {
    const missing = join(dir, 'missing.json');
    expect(issuesOf({ ORDO_CONTROL_CONFIG: missing }).ORDO_CONTROL_CONFIG).toMatch(
      new RegExp(`^cannot read ${missing}: ENOENT`),
    );

    const broken = join(dir, 'broken.json');
    await writeFile(broken, '{ nope');
    expect(issuesOf({ ORDO_CONTROL_CONFIG: broken })).toEqual({
      ORDO_CONTROL_CONFIG: `${broken} is not valid JSON`,
    });

    const typo = join(dir, 'typo.json');
    await writeFile(typo, JSON.stringify({ PROT: 1 }));
    expect(issuesOf({ ORDO_CONTROL_CONFIG: typo })).toEqual({
      ORDO_CONTROL_CONFIG: `${typo}: unknown setting "PROT" (use the environment variable names, e.g. PORT)`,
    });

    const badValue = join(dir, 'bad-value.json');
    await writeFile(badValue, JSON.stringify({ PORT: 'eighty' }));
    expect(issuesOf({ ORDO_CONTROL_CONFIG: badValue })).toEqual({ PORT: 'must be a number' });
  });
});
