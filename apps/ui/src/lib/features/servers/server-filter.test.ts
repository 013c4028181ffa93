import { describe, expect, it } from 'vitest';
import { filterServers } from './server-filter';

const servers = [
  { name: 'prod-eu', agentUrl: 'https://10.0.0.5:8070', domain: 'odoo.example.com' },
  { name: 'staging', agentUrl: 'http://192.168.1.20:8070', domain: '' },
  { name: 'Backup-Box', agentUrl: 'http://backup.internal:8070', domain: 'example.org' },
];
const names = (query: string) => filterServers(servers, query).map((server) => server.name);

describe('filterServers', () => {
  it('keeps everything for an empty or blank query', () => {
    expect(names('')).toEqual(['prod-eu', 'staging', 'Backup-Box']);
    expect(names('   ')).toEqual(['prod-eu', 'staging', 'Backup-Box']);
  });

  it('matches the name without regard to case', () => {
    expect(names('backup')).toEqual(['Backup-Box']);
    expect(names('PROD')).toEqual(['prod-eu']);
  });

  it('matches the agent URL and the domain', () => {
    expect(names('192.168')).toEqual(['staging']);
    expect(names('example')).toEqual(['prod-eu', 'Backup-Box']);
  });

  it('requires every word to match somewhere', () => {
    expect(names('example org')).toEqual(['Backup-Box']);
    expect(names('staging example')).toEqual([]);
  });

  it('returns a copy, never the input array', () => {
    expect(filterServers(servers, '')).not.toBe(servers);
  });
});
