import { describe, expect, it } from 'vitest';
import { describePing, describeStatus, describeSync, formatLastSeen } from './server-format';

describe('describeStatus', () => {
  it('maps each status to its label and colour', () => {
    expect(describeStatus('active')).toEqual({ label: 'Active', tone: 'success' });
    expect(describeStatus('inactive')).toEqual({ label: 'Inactive', tone: 'danger' });
    expect(describeStatus('unknown')).toEqual({ label: 'Unknown', tone: 'neutral' });
  });
});

describe('describePing', () => {
  it('summarises a successful ping with version and rounded latency', () => {
    const result = {
      ok: true as const,
      agentVersion: '0.1.0',
      latencyMs: 12.4,
      hostname: 'srv1',
      runtime: 'native',
    };
    expect(describePing(result)).toEqual({ tone: 'success', text: 'Active — v0.1.0, 12 ms' });
  });

  it('shows the plain failure message', () => {
    const message = 'The agent refused the token: check the token of this server';
    const result = { ok: false as const, failure: 'unauthorized' as const, message, latencyMs: 3 };
    expect(describePing(result)).toEqual({ tone: 'danger', text: message });
  });
});

describe('describeSync', () => {
  it('counts instances with singular and plural', () => {
    expect(describeSync({ instanceCount: 0, added: 0, removed: 0 }).text).toBe(
      '0 instances synced',
    );
    expect(describeSync({ instanceCount: 1, added: 0, removed: 0 }).text).toBe('1 instance synced');
  });

  it('mentions what changed', () => {
    expect(describeSync({ instanceCount: 3, added: 2, removed: 1 }).text).toBe(
      '3 instances synced (2 new, 1 removed)',
    );
  });
});

describe('formatLastSeen', () => {
  const now = new Date('2025-06-01T12:00:00Z');

  it.each([
    [null, 'Never'],
    ['not a date', 'Never'],
    ['2025-06-01T11:59:30Z', 'Just now'],
    ['2025-06-01T11:55:00Z', '5 min ago'],
    ['2025-06-01T09:00:00Z', '3 h ago'],
    ['2025-05-31T12:00:00Z', '1 day ago'],
    ['2025-05-20T12:00:00Z', '12 days ago'],
    ['2025-01-15T08:00:00Z', '2025-01-15'],
  ])('shows %s as %s', (iso, expected) => {
    expect(formatLastSeen(iso, now)).toBe(expected);
  });
});
