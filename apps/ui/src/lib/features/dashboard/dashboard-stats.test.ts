import { describe, expect, it } from 'vitest';
import { computeStats, describeUsage } from './dashboard-stats';

describe('computeStats', () => {
  it('counts servers by status and instances by state', () => {
    const servers = [
      { status: 'active' as const },
      { status: 'inactive' as const },
      { status: 'active' as const },
    ];
    const instances = [
      { status: 'running' as const },
      { status: 'running' as const },
      { status: 'stopped' as const },
      { status: 'error' as const },
      { status: 'provisioning' as const },
    ];
    expect(computeStats(servers, instances)).toEqual({
      servers: 3,
      activeServers: 2,
      instances: 5,
      running: 2,
      stopped: 1,
      failing: 1,
      provisioning: 1,
    });
  });

  it('is all zeros for an empty fleet', () => {
    expect(computeStats([], [])).toEqual({
      servers: 0,
      activeServers: 0,
      instances: 0,
      running: 0,
      stopped: 0,
      failing: 0,
      provisioning: 0,
    });
  });
});

describe('describeUsage', () => {
  it('tells instances against servers, singular or plural', () => {
    const stats = computeStats([{ status: 'active' as const }], [{ status: 'running' as const }]);
    expect(describeUsage(stats)).toBe('1 instance on 1 server');
    expect(describeUsage(computeStats([], []))).toBe('0 instances on 0 servers');
    expect(describeUsage(stats, 4)).toBe('1 of 4 instances (25 %) on 1 server');
  });
});
