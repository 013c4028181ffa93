import { describe, expect, it } from 'vitest';
import {
  describeJobKind,
  describeJobState,
  describeJobTarget,
  formatAgo,
  formatDateTime,
  formatDuration,
  jobDurationMs,
  progressPercent,
} from './job-format';

describe('formatDuration', () => {
  it.each([
    [0, '0 ms'],
    [850, '850 ms'],
    [1000, '1 s'],
    [42_400, '42 s'],
    [60_000, '1 min 00 s'],
    [185_000, '3 min 05 s'],
    [3_600_000, '1 h 00 min'],
    [7_620_000, '2 h 07 min'],
  ])('formats %d ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('never shows a negative duration (clock skew between machines)', () => {
    expect(formatDuration(-500)).toBe('0 ms');
  });
});

describe('jobDurationMs', () => {
  const now = new Date('2025-01-01T10:05:00Z');

  it('is unknown before the job started', () => {
    expect(jobDurationMs({ startedAt: null, endedAt: null }, now)).toBeNull();
  });

  it('runs up to now while the job runs', () => {
    const job = { startedAt: '2025-01-01T10:00:00Z', endedAt: null };
    expect(jobDurationMs(job, now)).toBe(300_000);
  });

  it('stops at the end of a finished job', () => {
    const job = { startedAt: '2025-01-01T10:00:00Z', endedAt: '2025-01-01T10:00:12.5Z' };
    expect(jobDurationMs(job, now)).toBe(12_500);
  });

  it('is unknown for unreadable timestamps', () => {
    expect(jobDurationMs({ startedAt: 'yesterday', endedAt: null }, now)).toBeNull();
  });
});

describe('progressPercent', () => {
  it.each([
    [0, 0],
    [0.426, 43],
    [1, 100],
    [1.2, 100],
    [-0.1, 0],
  ])('turns %d into %d %', (progress, percent) => {
    expect(progressPercent(progress)).toBe(percent);
  });

  it('is unknown when the job cannot tell', () => {
    expect(progressPercent(null)).toBeNull();
    expect(progressPercent(undefined)).toBeNull();
  });
});

describe('job labels', () => {
  it('gives every state a label and a tone', () => {
    expect(describeJobState('running')).toEqual({ label: 'Running', tone: 'info' });
    expect(describeJobState('failed')).toEqual({ label: 'Failed', tone: 'danger' });
    expect(describeJobState('succeeded').tone).toBe('success');
  });

  it('names kinds and targets the way an admin reads them', () => {
    expect(describeJobKind('version.install')).toBe('Version install');
    expect(describeJobKind('instance.create')).toBe('Instance creation');
    expect(describeJobTarget({ kind: 'version.install', target: '17.0' })).toBe('Odoo 17.0');
    expect(describeJobTarget({ kind: 'instance.create', target: 'shop' })).toBe('shop');
  });
});

describe('formatDateTime', () => {
  const now = new Date('2025-06-01T12:00:00');

  it('leaves out the year of this year', () => {
    const text = formatDateTime(new Date('2025-03-04T09:05:00').toISOString(), now);
    expect(text).not.toContain('2025');
    expect(text).toMatch(/09:05|9:05/);
  });

  it('shows the year of another year', () => {
    expect(formatDateTime(new Date('2024-03-04T09:05:00').toISOString(), now)).toContain('2024');
  });

  it('gives back what it cannot read', () => {
    expect(formatDateTime('not a date', now)).toBe('not a date');
  });
});

describe('formatAgo', () => {
  const now = new Date('2025-06-10T12:00:00Z');

  it('says minutes, hours, then days', () => {
    expect(formatAgo('2025-06-10T11:59:30Z', now)).toBe('just now');
    expect(formatAgo('2025-06-10T11:45:00Z', now)).toBe('15 min ago');
    expect(formatAgo('2025-06-09T12:00:00Z', now)).toBe('24 h ago');
    expect(formatAgo('2025-06-01T12:00:00Z', now)).toBe('9 days ago');
  });

  it('never goes negative, survives a bad date and says when there is none', () => {
    expect(formatAgo('2025-06-10T12:05:00Z', now)).toBe('just now');
    expect(formatAgo('not a date', now)).toBe('—');
    expect(formatAgo(null, now)).toBe('never');
  });
});
