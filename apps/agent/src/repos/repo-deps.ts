import type { InstanceDeps } from '../instances/instance-deps';
import { KeyedMutex } from '../runtime/keyed-mutex';

/** What a repository is busy with: its clone or a pull, and the job doing it once queued. */
export interface RepoActivity {
  kind: 'clone' | 'pull';
  /** Null for the moment between reserving the repository and queueing the job. */
  jobId: string | null;
}

/** Instance deps plus the repositories' own locks; built once per agent app. */
export interface RepoDeps extends InstanceDeps {
  repos: RepoState;
}

export class RepoState {
  /** One git operation or removal per repository at a time (key: repoKey). */
  readonly locks = new KeyedMutex();
  /** Read-modify-write of an instance's repos.json, one at a time (key: the instance). */
  readonly fileLocks = new KeyedMutex();
  private readonly activities = new Map<string, RepoActivity>();

  constructor(private readonly isJobActive: (id: string) => boolean) {}

  /** What the repository is busy with, or null; a job that ended no longer counts. */
  activity(instance: string, id: string): RepoActivity | null {
    const key = repoKey(instance, id);
    const found = this.activities.get(key);
    if (found === undefined) return null;
    if (found.jobId !== null && !this.isJobActive(found.jobId)) {
      this.activities.delete(key);
      return null;
    }
    return found;
  }

  /** Marks the repository busy; call only after `activity()` answered null, with no await between. */
  reserve(instance: string, id: string, kind: RepoActivity['kind']): RepoActivity {
    const activity: RepoActivity = { kind, jobId: null };
    this.activities.set(repoKey(instance, id), activity);
    return activity;
  }

  release(instance: string, id: string, activity: RepoActivity): void {
    const key = repoKey(instance, id);
    if (this.activities.get(key) === activity) this.activities.delete(key);
  }
}

export function repoKey(instance: string, id: string): string {
  return `${instance}\u0000${id}`;
}
