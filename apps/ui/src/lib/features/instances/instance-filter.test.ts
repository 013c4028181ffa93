import { describe, expect, it } from 'vitest';
import { countByStatus, filterInstances, hasActiveFilters, noFilters } from './instance-filter';
import type { InstanceFilters } from './instance-filter';

const row = (
  name: string,
  overrides: Partial<{
    serverId: string;
    status: 'provisioning' | 'running' | 'stopped' | 'error';
    parent: string | null;
    url: string | null;
  }> = {},
) => ({
  name,
  url: `http://10.0.0.5:8069/${name}`,
  version: '17.0',
  database: name,
  parent: null,
  serverId: 's1',
  status: 'running' as const,
  ...overrides,
});

const rows = [
  row('shop'),
  row('shop-test', { parent: 'shop', status: 'stopped' }),
  row('crm', { serverId: 's2', status: 'error', url: null }),
];

const names = (filters: Partial<InstanceFilters>) =>
  filterInstances(rows, { ...noFilters(), ...filters }).map((instance) => instance.name);

describe('filterInstances', () => {
  it('keeps everything without filters', () => {
    expect(names({})).toEqual(['shop', 'shop-test', 'crm']);
  });

  it('matches every word of the query against name, URL, version, database and parent', () => {
    expect(names({ query: 'SHOP' })).toEqual(['shop', 'shop-test']);
    expect(names({ query: 'shop test' })).toEqual(['shop-test']);
    expect(names({ query: '17.0 crm' })).toEqual(['crm']);
    expect(names({ query: 'nothing' })).toEqual([]);
  });

  it('filters by server and by status', () => {
    expect(names({ serverId: 's2' })).toEqual(['crm']);
    expect(names({ status: 'stopped' })).toEqual(['shop-test']);
    expect(names({ serverId: 's1', status: 'error' })).toEqual([]);
  });
});

describe('hasActiveFilters', () => {
  it('is false for the defaults, even with a blank query', () => {
    expect(hasActiveFilters({ ...noFilters(), query: '   ' })).toBe(false);
  });

  it('is true as soon as one filter narrows the list', () => {
    expect(hasActiveFilters({ ...noFilters(), query: 'x' })).toBe(true);
    expect(hasActiveFilters({ ...noFilters(), serverId: 's1' })).toBe(true);
    expect(hasActiveFilters({ ...noFilters(), status: 'running' })).toBe(true);
  });
});

describe('countByStatus', () => {
  it('counts every status, zero included', () => {
    expect(countByStatus(rows)).toEqual({ provisioning: 0, running: 1, stopped: 1, error: 1 });
  });
});
