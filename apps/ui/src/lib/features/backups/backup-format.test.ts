import type { BackupView } from '@ordo/protocol/panel';
import { describe, expect, it } from 'vitest';
import { backupOfJob, describeRequester, filterBackups } from './backup-format';

const backup = (id: string, createdAt: string, extra: Partial<BackupView> = {}): BackupView => ({
  id,
  serverId: 'srv',
  instance: 'shop',
  createdAt,
  size: 1000,
  sha256: 'a'.repeat(64),
  requestedBy: 'ann@example.com',
  ...extra,
});

describe('describeRequester', () => {
  it('names the author, or says it is unknown', () => {
    expect(describeRequester('ann@example.com')).toBe('ann@example.com');
    expect(describeRequester(null)).toBe('Unknown');
    expect(describeRequester(' ')).toBe('Unknown');
  });
});

describe('backupOfJob', () => {
  const newestFirst = [
    backup('b_3', '2025-06-10T12:10:00Z'),
    backup('b_2', '2025-06-10T12:00:01Z'),
    backup('other', '2025-06-10T12:00:00.500Z', { instance: 'other' }),
    backup('b_1', '2025-06-10T11:00:00Z'),
  ];
  it('picks the first backup of the instance made after the job was created', () => {
    expect(
      backupOfJob(newestFirst, { createdAt: '2025-06-10T12:00:00Z', target: 'shop' })?.id,
    ).toBe('b_2');
  });
  it('finds none when no backup is that recent', () => {
    expect(backupOfJob(newestFirst, { createdAt: '2025-06-10T13:00:00Z', target: 'shop' })).toBe(
      null,
    );
    expect(backupOfJob([], { createdAt: '2025-06-10T13:00:00Z', target: 'shop' })).toBe(null);
  });
});

describe('filterBackups', () => {
  const list = [
    backup('b_1', '2025-06-10T12:00:00Z'),
    backup('b_2', '2025-06-09T12:00:00Z', { requestedBy: null }),
  ];
  const shown = (b: BackupView) => (b.id === 'b_1' ? 'Jun 10, 14:00' : 'Jun 9, 14:00');
  it('matches author, id or shown date, case-insensitively; blank keeps all', () => {
    expect(filterBackups(list, 'ANN@', shown).map((b) => b.id)).toEqual(['b_1']);
    expect(filterBackups(list, 'unknown', shown).map((b) => b.id)).toEqual(['b_2']);
    expect(filterBackups(list, 'jun 9', shown).map((b) => b.id)).toEqual(['b_2']);
    expect(filterBackups(list, '  ', shown)).toHaveLength(2);
  });
});
