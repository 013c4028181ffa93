import { writeFile } from 'node:fs/promises';
import { arch, cpus, hostname, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { AgentInfo } from '@ordo/protocol';
import { describe, expect, it } from 'vitest';
import { AGENT_VERSION, createAgentApp } from '../src';
import { parsePrettyName, readDistribution } from '../src/system/os-release';
import { captureLogger, testApp, testConfig, useTempDir } from './helpers';

describe('GET /v1/info', () => {
  it('describes this machine and the agent', async () => {
    const { app, auth } = await testApp();
    const res = await app.request('/v1/info', { headers: auth });
    expect(res.status).toBe(200);

    const info = AgentInfo.parse(await res.json());
    expect(info).toMatchObject({
      version: AGENT_VERSION,
      hostname: hostname(),
      os: { platform: platform(), release: release(), arch: arch() },
      cpus: Math.max(1, cpus().length),
      runtime: 'native',
    });
    expect(info.memory.totalBytes).toBe(totalmem());
    expect(info.memory.freeBytes).toBeGreaterThan(0);
    expect(info.memory.freeBytes).toBeLessThanOrEqual(info.memory.totalBytes);
    expect(info.uptimeSeconds).toBeGreaterThan(0);
  });

  it('reports agentUptimeSeconds in whole seconds and the distribution from os-release', async () => {
    const root = await useTempDir();
    const osRelease = join(root, 'os-release');
    await writeFile(
      osRelease,
      'NAME="Debian GNU/Linux"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n',
    );
    const config = testConfig(root);
    const app = createAgentApp({
      config,
      logger: captureLogger().logger,
      startedAt: new Date('2025-01-01T00:00:00Z'),
      now: () => new Date('2025-01-01T01:00:30.900Z'),
      osReleasePath: osRelease,
    });
    const res = await app.request('/v1/info', {
      headers: { authorization: `Bearer ${config.token}` },
    });
    const info = AgentInfo.parse(await res.json());
    expect(info.agentUptimeSeconds).toBe(3630);
    expect(info.os.distribution).toBe('Debian GNU/Linux 12 (bookworm)');
  });

  it('reports the configured runtime', async () => {
    const root = await useTempDir();
    const config = { ...testConfig(root), runtime: 'docker' as const };
    const app = createAgentApp({ config, logger: captureLogger().logger, startedAt: new Date() });
    const res = await app.request('/v1/info', {
      headers: { authorization: `Bearer ${config.token}` },
    });
    expect(AgentInfo.parse(await res.json()).runtime).toBe('docker');
  });
});

describe('os-release', () => {
  it.each([
    ['PRETTY_NAME="Ubuntu 24.04.1 LTS"', 'Ubuntu 24.04.1 LTS'],
    ["PRETTY_NAME='Alpine Linux v3.20'", 'Alpine Linux v3.20'],
    ['PRETTY_NAME=Arch', 'Arch'],
    ['PRETTY_NAME="Say \\"hi\\""', 'Say "hi"'],
    ['NAME=Debian', null],
    ['PRETTY_NAME=""', null],
  ])('parses %j', (text, expected) => {
    expect(parsePrettyName(`ID=x\n${text}\nVERSION_ID=1\n`)).toBe(expected);
  });

  it('gives null when the file does not exist', async () => {
    const dir = await useTempDir();
    expect(await readDistribution(join(dir, 'os-release'))).toBeNull();
  });
});
