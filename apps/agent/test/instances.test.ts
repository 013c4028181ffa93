import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AgentErrorBody, InstanceList } from '@ordo/protocol';
import { describe, expect, it } from 'vitest';
import { createAgentApp } from '../src';
import { captureLogger, testApp, testConfig, useTempDir } from './helpers';

const RECORD = {
  name: 'acme',
  version: '17.0',
  edition: 'community',
  type: 'production',
  parent: null,
  database: 'acme',
  httpPort: 8069,
  createdAt: '2025-03-01T10:00:00.000Z',
};

async function writeRecord(root: string, dirName: string, record: unknown): Promise<void> {
  const dir = join(root, 'instances', dirName);
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'instance.json'),
    typeof record === 'string' ? record : JSON.stringify(record),
  );
}

async function list(setup: (root: string) => Promise<void>) {
  const ctx = await testApp();
  await setup(ctx.root);
  const res = await ctx.app.request('/v1/instances', { headers: ctx.auth });
  expect(res.status).toBe(200);
  return { ...ctx, instances: InstanceList.parse(await res.json()).instances };
}

describe('GET /v1/instances', () => {
  it('is empty when the root has no instances directory', async () => {
    const { instances } = await list(() => Promise.resolve());
    expect(instances).toEqual([]);
  });

  it('is empty when the instances directory is empty', async () => {
    const { instances } = await list((root) => mkdir(join(root, 'instances')));
    expect(instances).toEqual([]);
  });

  it('lists a valid record as a stopped instance', async () => {
    const { instances } = await list((root) => writeRecord(root, 'acme', RECORD));
    expect(instances).toEqual([
      {
        name: 'acme',
        version: '17.0',
        edition: 'community',
        type: 'production',
        parent: null,
        status: 'stopped',
        statusReason: null,
        database: 'acme',
        httpPort: 8069,
        url: null,
      },
    ]);
  });

  it('sorts by name and keeps staging parents', async () => {
    const { instances } = await list(async (root) => {
      await writeRecord(root, 'zeta', { ...RECORD, name: 'zeta', database: 'zeta' });
      await writeRecord(root, 'acme-staging', {
        ...RECORD,
        name: 'acme-staging',
        type: 'staging',
        parent: 'acme',
        url: 'https://staging.acme.example',
      });
      await writeRecord(root, 'acme', RECORD);
    });
    expect(instances.map((i) => [i.name, i.type, i.parent, i.url])).toEqual([
      ['acme', 'production', null, null],
      ['acme-staging', 'staging', 'acme', 'https://staging.acme.example'],
      ['zeta', 'production', null, null],
    ]);
  });

  it('skips unusable directories with a warning and lists the rest', async () => {
    const { instances, log } = await list(async (root) => {
      await writeRecord(root, 'acme', RECORD);
      await writeRecord(root, 'Bad.Name', { ...RECORD, name: 'Bad.Name' });
      await writeRecord(root, 'broken', '{ not json');
      await writeRecord(root, 'invalid', { ...RECORD, name: 'invalid', edition: 'gold' });
      await writeRecord(root, 'renamed', RECORD);
      await mkdir(join(root, 'instances', 'empty'));
      await writeFile(join(root, 'instances', 'notes.txt'), 'a stray file');
    });

    expect(instances.map((i) => i.name)).toEqual(['acme']);
    const warnings = log.entries().filter((entry) => entry.level === 40);
    const text = JSON.stringify(warnings);
    expect(warnings).toHaveLength(5);
    expect(text).toContain('not a valid instance name');
    expect(text).toContain('Bad.Name');
    expect(text).toContain('broken/instance.json');
    expect(text).toContain('edition');
    expect(text).toContain('records the name \\"acme\\" but lives in \\"renamed\\"');
    expect(text).toContain('"reason":"missing"');
  });

  it('uses the injected status resolver', async () => {
    const root = await useTempDir();
    await writeRecord(root, 'acme', RECORD);
    const config = testConfig(root);
    const app = createAgentApp({
      config,
      logger: captureLogger().logger,
      startedAt: new Date(),
      resolveStatus: () => Promise.resolve({ status: 'error', statusReason: 'odoo-bin exited 1' }),
    });
    const res = await app.request('/v1/instances', {
      headers: { authorization: `Bearer ${config.token}` },
    });
    const [instance] = InstanceList.parse(await res.json()).instances;
    expect(instance).toMatchObject({ status: 'error', statusReason: 'odoo-bin exited 1' });
  });

  it('answers 500 "Internal error" when the instances path is unreadable, logging the cause', async () => {
    const ctx = await testApp();
    await writeFile(join(ctx.root, 'instances'), 'not a directory');
    const res = await ctx.app.request('/v1/instances', { headers: ctx.auth });

    expect(res.status).toBe(500);
    const body = AgentErrorBody.parse(await res.json());
    expect(body.error).toEqual({
      code: 'internal',
      message: 'Internal error',
      requestId: res.headers.get('x-request-id'),
    });
    expect(JSON.stringify(body)).not.toContain('ENOTDIR');
    expect(ctx.log.text()).toContain('ENOTDIR');
  });
});
