import type { JobKind, JobState } from '@ordo/protocol';
import type { JobView } from '@ordo/protocol/panel';
import type { Tone } from '../../components/tone';

export function describeJobState(state: JobState): { label: string; tone: Tone } {
  switch (state) {
    case 'pending':
      return { label: 'Pending', tone: 'neutral' };
    case 'running':
      return { label: 'Running', tone: 'info' };
    case 'succeeded':
      return { label: 'Succeeded', tone: 'success' };
    case 'failed':
      return { label: 'Failed', tone: 'danger' };
    case 'cancelled':
      return { label: 'Cancelled', tone: 'warning' };
  }
}

export function describeJobKind(kind: JobKind): string {
  switch (kind) {
    case 'version.install':
      return 'Version install';
    case 'instance.create':
      return 'Instance creation';
    case 'backup.create':
      return 'Backup';
    case 'backup.restore':
      return 'Restore';
    case 'instance.clone':
      return 'Clone to staging';
    case 'version.enterprise_upgrade':
      return 'Enterprise upgrade';
    case 'repo_clone':
      return 'Repository clone';
    case 'repo_pull':
      return 'Repository pull';
    case 'migrate':
      return 'Server migration';
  }
}

/** "Odoo 17.0" for a version install, the instance name otherwise. */
export function describeJobTarget(job: Pick<JobView, 'kind' | 'target'>): string {
  return job.kind === 'version.install' || job.kind === 'version.enterprise_upgrade'
    ? `Odoo ${job.target}`
    : job.target;
}

/** "850 ms", "42 s", "3 min 05 s", "2 h 07 min": short, and stable in width as it ticks. */
export function formatDuration(ms: number): string {
  const safe = Math.max(0, ms);
  if (safe < 1000) return `${Math.round(safe)} ms`;
  const seconds = Math.floor(safe / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${pad(seconds % 60)} s`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${pad(minutes % 60)} min`;
}

/** How long a job ran, or has been running at `now`; `null` before it started. */
export function jobDurationMs(
  job: Pick<JobView, 'startedAt' | 'endedAt'>,
  now: Date,
): number | null {
  if (job.startedAt === null) return null;
  const start = Date.parse(job.startedAt);
  const end = job.endedAt === null ? now.getTime() : Date.parse(job.endedAt);
  if (Number.isNaN(start) || Number.isNaN(end)) return null;
  return end - start;
}

/** A 0..1 progress as a whole percentage; `null` when the job cannot tell. */
export function progressPercent(progress: number | null | undefined): number | null {
  if (progress === null || progress === undefined || Number.isNaN(progress)) return null;
  return Math.round(Math.min(1, Math.max(0, progress)) * 100);
}

/** Local date and time to the minute; the year only when it is not this year's. */
export function formatDateTime(iso: string, now: Date = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, {
    ...(date.getFullYear() === now.getFullYear() ? {} : { year: 'numeric' }),
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** "just now", "3 min ago", "5 h ago", "12 days ago"; "never" for no date; the clock is passed in. */
export function formatAgo(iso: string | null, now: Date): string {
  if (iso === null) return 'never';
  const seconds = Math.max(0, Math.round((now.getTime() - new Date(iso).getTime()) / 1000));
  if (Number.isNaN(seconds)) return '—';
  if (seconds < 60) return 'just now';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} days ago`;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
