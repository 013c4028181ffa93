import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadControlConfig } from '../src/config';
import { createSecretBox } from '../src/crypto/secret-box';
import { loadSecretKey } from '../src/crypto/secret-key-file';
import { startControl } from '../src/start-control';
import { captureLogs } from './helpers/log-capture';
import { createTestDb, type TestDb } from './helpers/test-db';

describe('startControl', () => {
  let testDb: TestDb;
  let dir: string;
  beforeAll(async () => {
    testDb = await createTestDb();
    dir = await mkdtemp(join(tmpdir(), 'ordo-control-start-'));
  });
  afterAll(async () => {
    await testDb.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('boots on an existing database: admin, local server, health, then shuts down', async () => {
    const tokenFile = join(dir, 'agent.token');
    const agentToken = 'f'.repeat(64);
    await writeFile(tokenFile, `${agentToken}\n`);
    const config = loadControlConfig(
      {
        DATABASE_URL: testDb.url,
        PORT: '0',
        ORDO_DATA_DIR: dir,
        ORDO_UI_DIR: join(dir, 'no-ui'),
        ORDO_LOCAL_AGENT_URL: 'http://127.0.0.1:8070/',
        ORDO_LOCAL_AGENT_TOKEN_FILE: tokenFile,
      },
      dir,
    );
    const logs = captureLogs();
    const printed: string[] = [];
    const control = await startControl(config, {
      logger: logs.logger,
      print: (text) => printed.push(text),
    });
    try {
      expect(control.url).toBe(`http://127.0.0.1:${control.port}`);
      const health = await fetch(`${control.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ ok: true, db: true });

      const password = /password: (\S+)/.exec(printed.join(''))?.[1] ?? '';
      expect(password).toHaveLength(20);
      expect(logs.text()).not.toContain(password);
      expect(logs.text()).not.toContain(agentToken);

      const servers = await testDb.db.selectFrom('servers').selectAll().execute();
      expect(servers).toHaveLength(1);
      expect(servers[0]).toMatchObject({
        name: 'local',
        agent_url: 'http://127.0.0.1:8070',
        token_preview: 'ffff…ffff',
      });
      const box = createSecretBox(await loadSecretKey(config));
      expect(box.decrypt(servers[0]?.token_ciphertext ?? '')).toBe(agentToken);
    } finally {
      await control.close();
    }
    await expect(fetch(`${control.url}/healthz`)).rejects.toThrow();

    // A second start keeps the one local server and prints no new password.
    const again = await startControl(config, {
      logger: logs.logger,
      print: (t) => printed.push(t),
    });
    await again.close();
    expect(printed).toHaveLength(1);
    expect(await testDb.db.selectFrom('servers').select('name').execute()).toEqual([
      { name: 'local' },
    ]);
  });

  it('fails with a clear message when the local agent token file is missing', async () => {
    const missing = join(dir, 'missing.token');
    const config = loadControlConfig(
      {
        DATABASE_URL: testDb.url,
        PORT: '0',
        ORDO_DATA_DIR: dir,
        ORDO_LOCAL_AGENT_URL: 'http://127.0.0.1:8070',
        ORDO_LOCAL_AGENT_TOKEN_FILE: missing,
      },
      dir,
    );
    await expect(startControl(config, { logger: captureLogs().logger })).rejects.toThrow(
      new RegExp(
        `^Cannot read the local agent token file ${missing} \\(ORDO_LOCAL_AGENT_TOKEN_FILE\\): ENOENT`,
      ),
    );
  });

  it('fails naming the port when it is taken', async () => {
    const first = await startControl(
      loadControlConfig({ DATABASE_URL: testDb.url, PORT: '0', ORDO_DATA_DIR: dir }, dir),
      { logger: captureLogs().logger },
    );
    try {
      const config = loadControlConfig(
        { DATABASE_URL: testDb.url, PORT: String(first.port), ORDO_DATA_DIR: dir },
        dir,
      );
      await expect(startControl(config, { logger: captureLogs().logger })).rejects.toThrow(
        `Port ${first.port} on 127.0.0.1 is already in use: set PORT to a free port`,
      );
    } finally {
      await first.close();
    }
  });
});
