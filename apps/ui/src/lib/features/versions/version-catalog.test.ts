import type { JobView } from '@ordo/protocol/panel';
import { describe, expect, it } from 'vitest';
import { compareVersions, installCards, sortInstalled } from './version-catalog';

const installed = (version: string) => ({
  version,
  edition: 'community' as const,
  python: '3.11.2',
  path: `/var/lib/ordo/versions/${version}`,
  instances: 0,
});

const job = (target: string): JobView => ({
  id: 'j_0m8k2q3x1_4f9a0b2c7d',
  kind: 'version.install',
  state: 'running',
  progress: 0.4,
  target,
  createdAt: '2025-01-01T10:00:00Z',
  startedAt: '2025-01-01T10:00:01Z',
  endedAt: null,
  error: null,
  serverId: 's1',
  serverName: 'local',
  requestedBy: 'admin@ordo.test',
});

describe('installCards', () => {
  it('offers the supported versions not installed, newest first', () => {
    const cards = installCards({
      supported: ['16.0', '17.0', '18.0', '19.0'],
      versions: [installed('17.0')],
      installing: [],
      activeJobs: [],
    });
    expect(cards.map((card) => card.version)).toEqual(['19.0', '18.0', '16.0']);
    expect(cards.every((card) => !card.installing && card.job === null)).toBe(true);
  });

  it('marks a version being installed, with its job for live progress', () => {
    const running = job('18.0');
    const cards = installCards({
      supported: ['17.0', '18.0'],
      versions: [],
      installing: ['18.0'],
      activeJobs: [running],
    });
    expect(cards).toEqual([
      { version: '18.0', job: running, installing: true },
      { version: '17.0', job: null, installing: false },
    ]);
  });

  it('counts a pending job as installing even before the agent lists it', () => {
    const cards = installCards({
      supported: ['17.0'],
      versions: [],
      installing: [],
      activeJobs: [job('17.0')],
    });
    expect(cards[0]?.installing).toBe(true);
  });
});

describe('version order', () => {
  it('compares series numerically', () => {
    expect(compareVersions('9.0', '17.0')).toBeLessThan(0);
    expect(compareVersions('18.0', '17.0')).toBeGreaterThan(0);
    expect(compareVersions('17.0', '17.0')).toBe(0);
  });

  it('sorts installed versions newest first', () => {
    const sorted = sortInstalled([installed('16.0'), installed('18.0'), installed('17.0')]);
    expect(sorted.map((version) => version.version)).toEqual(['18.0', '17.0', '16.0']);
  });
});
