import type { InstanceView, MigrationItem, ServerView } from '@ordo/protocol/panel';
import { describe, expect, it } from 'vitest';
import {
  describeItem,
  filterMigratable,
  migrationTargets,
  selectionProblems,
  toggleInstance,
  validateMigrate,
} from './migrate-form';

const SOURCE = '0b7c8f0e-6a8f-4d8e-9a51-3c2a1d1f9e10';
const TARGET = '1c7c8f0e-6a8f-4d8e-9a51-3c2a1d1f9e11';

function server(id: string, name: string, status: ServerView['status']): ServerView {
  return {
    id,
    name,
    agentUrl: `http://${name}:8070`,
    domain: '',
    tokenPreview: 'ab…cd',
    status,
    instanceCount: 0,
    agentVersion: '0.1.0',
    runtime: 'native',
    lastSeenAt: null,
    lastError: null,
    latencyMs: null,
    createdAt: '2025-01-01T00:00:00.000Z',
  };
}

function instance(name: string, extra: Partial<InstanceView> = {}): InstanceView {
  return {
    serverId: SOURCE,
    serverName: 'src',
    serverRuntime: 'native',
    name,
    version: '17.0',
    edition: 'community',
    type: 'production',
    parent: null,
    status: 'running',
    database: name,
    httpPort: 8100,
    url: null,
    syncedAt: '2025-01-01T00:00:00.000Z',
    activeJob: null,
    hasSecrets: true,
    ...extra,
  };
}

const shop = instance('shop');
const shopTest = instance('shop-test', { type: 'staging', parent: 'shop' });
const blog = instance('blog', { version: '16.0' });
const all = [shop, shopTest, blog];

describe('migration dialog state', () => {
  it('offers active servers other than the source as targets', () => {
    const servers = [
      server(SOURCE, 'src', 'active'),
      server(TARGET, 'dst', 'active'),
      server('2c7c8f0e-6a8f-4d8e-9a51-3c2a1d1f9e12', 'down', 'inactive'),
    ];
    expect(migrationTargets(servers, SOURCE).map((s) => s.name)).toEqual(['dst']);
  });

  it('searches instances by name, version and type, sorted by name', () => {
    expect(filterMigratable(all, '').map((i) => i.name)).toEqual(['blog', 'shop', 'shop-test']);
    expect(filterMigratable(all, ' SHOP ').map((i) => i.name)).toEqual(['shop', 'shop-test']);
    expect(filterMigratable(all, '16.0').map((i) => i.name)).toEqual(['blog']);
    expect(filterMigratable(all, 'staging').map((i) => i.name)).toEqual(['shop-test']);
  });

  it('selects a production with its staging instances, and deselects one at a time', () => {
    const selected = toggleInstance(all, new Set(), 'shop');
    expect([...selected].sort()).toEqual(['shop', 'shop-test']);
    expect([...toggleInstance(all, selected, 'shop')]).toEqual(['shop-test']);
  });

  it('flags a staging instance chosen without its production, and instances being created', () => {
    const creating = instance('new', { status: 'provisioning' });
    expect(selectionProblems([...all, creating], new Set(['shop-test', 'new', 'blog']))).toEqual({
      'shop-test': 'Moves with its production "shop": select it too, unless the target has it',
      new: 'Still being created',
    });
    expect(selectionProblems(all, new Set(['shop', 'shop-test']))).toEqual({});
  });

  it('validates with the procedure schema', () => {
    expect(
      validateMigrate({ sourceServerId: SOURCE, targetServerId: '', instances: ['shop'] }),
    ).toEqual({ ok: false, target: 'Choose the target server' });
    expect(
      validateMigrate({ sourceServerId: SOURCE, targetServerId: TARGET, instances: [] }),
    ).toEqual({ ok: false, instances: 'Choose at least one instance to migrate' });
    expect(
      validateMigrate({ sourceServerId: SOURCE, targetServerId: SOURCE, instances: ['shop'] }),
    ).toEqual({ ok: false, target: 'Choose a target server other than the source' });
    expect(
      validateMigrate({ sourceServerId: SOURCE, targetServerId: TARGET, instances: ['shop'] }),
    ).toEqual({
      ok: true,
      input: { sourceServerId: SOURCE, targetServerId: TARGET, instances: ['shop'] },
    });
  });

  it('describes each instance of a running migration', () => {
    const item: MigrationItem = {
      name: 'shop',
      type: 'production',
      parent: null,
      version: '17.0',
      state: 'running',
      step: 'transferring',
      progress: 0.554,
      error: null,
    };
    expect(describeItem(item)).toEqual({
      label: 'Transferring and restoring',
      tone: 'info',
      percent: 55,
    });
    expect(describeItem({ ...item, state: 'succeeded', step: 'done', progress: 1 })).toEqual({
      label: 'Moved',
      tone: 'success',
      percent: 100,
    });
    expect(describeItem({ ...item, state: 'failed', error: 'boom' }).tone).toBe('danger');
    expect(describeItem({ ...item, state: 'pending', step: 'waiting', progress: 0 }).percent).toBe(
      0,
    );
  });
});
