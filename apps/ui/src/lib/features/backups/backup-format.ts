import type { BackupView, JobView } from '@ordo/protocol/panel';

/** Who made it: a user's email, the agent (safety backups before a restore), or unknown. */
export function describeRequester(requestedBy: string | null): string {
  if (requestedBy === null || requestedBy.trim() === '') return 'Unknown';
  return requestedBy;
}

/**
 * The backup a finished `backup.create` job wrote. Agents run one backup of an instance at a
 * time and stamp the backup when the job starts, so it is the first one made after the job was
 * created. `backups` is newest first, as `backups.list` answers.
 */
export function backupOfJob(
  backups: readonly BackupView[],
  job: Pick<JobView, 'createdAt' | 'target'>,
): BackupView | null {
  const since = new Date(job.createdAt).getTime();
  let found: BackupView | null = null;
  for (const backup of backups) {
    if (backup.instance !== job.target) continue;
    if (new Date(backup.createdAt).getTime() < since) break;
    found = backup;
  }
  return found;
}

/** Shown from this many backups on: a list that can grow gets a search. */
export const SEARCH_FROM = 6;

/** Backups whose author, id or date (as shown) contains the query, case-insensitive. */
export function filterBackups(
  backups: readonly BackupView[],
  query: string,
  shownDate: (backup: BackupView) => string,
): BackupView[] {
  const needle = query.trim().toLowerCase();
  if (needle === '') return [...backups];
  return backups.filter((backup) =>
    [describeRequester(backup.requestedBy), backup.id, shownDate(backup)].some((text) =>
      text.toLowerCase().includes(needle),
    ),
  );
}
