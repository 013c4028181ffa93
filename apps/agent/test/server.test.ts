import { stat } from 'node:fs/promises';
import { AgentClientError, createAgentClient } from '@ordo/protocol';
import { describe, expect, it } from 'vitest';
import { AGENT_VERSION, AgentStartError, startAgent } from '../src';
import { captureLogger, newToken, testConfig, useTempDir } from './helpers';

describe('startAgent', () => {
  it('serves the API over real HTTP on a random port', async () => {
    const root = await useTempDir();
    const config = testConfig(root);
    const log = captureLogger();
    const agent = await startAgent(config, { logger: log.logger });
    try {
      expect(agent.port).toBeGreaterThan(0);
      expect(agent.url).toBe(`http://127.0.0.1:${agent.port}`);

      const client = createAgentClient({ baseUrl: agent.url, token: config.token });
      expect(await client.health()).toEqual({
        ok: true,
        service: 'ordo-agent',
        version: AGENT_VERSION,
      });
      expect((await client.info()).version).toBe(AGENT_VERSION);
      expect(await client.listInstances()).toEqual({ instances: [] });

      const intruder = createAgentClient({ baseUrl: agent.url, token: newToken() });
      const error = await intruder.info().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AgentClientError);
      expect(error).toMatchObject({ code: 'unauthorized', status: 401, agentCode: 'unauthorized' });

      expect(log.text()).toContain(`"url":"${agent.url}"`);
      expect(log.text()).not.toContain(config.token);
    } finally {
      await agent.close();
    }
    const closed = createAgentClient({ baseUrl: agent.url, token: config.token, timeoutMs: 2000 });
    await expect(closed.health()).rejects.toMatchObject({ code: 'unreachable' });
  });

  it('creates a missing data root', async () => {
    const dir = await useTempDir();
    const config = testConfig(`${dir}/deep/root`);
    const agent = await startAgent(config, { logger: captureLogger().logger });
    await agent.close();
    expect((await stat(`${dir}/deep/root`)).isDirectory()).toBe(true);
  });

  it('says which address is taken when it cannot listen', async () => {
    const root = await useTempDir();
    const first = await startAgent(testConfig(root), { logger: captureLogger().logger });
    try {
      const config = { ...testConfig(root), port: first.port };
      const error = await startAgent(config, { logger: captureLogger().logger }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AgentStartError);
      expect(error).toMatchObject({
        code: 'listen_failed',
        message: `Cannot listen on 127.0.0.1:${first.port} (EADDRINUSE): set ORDO_AGENT_HOST/ORDO_AGENT_PORT to a free local address`,
      });
    } finally {
      await first.close();
    }
  });
});
