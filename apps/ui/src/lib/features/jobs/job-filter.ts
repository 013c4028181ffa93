import { JobKind, JobState } from '@ordo/protocol';
import type { JobListInput } from '@ordo/protocol/panel';

/** The Jobs page filters as the selects hold them: '' means "any". */
export interface JobFilters {
  serverId: string;
  state: string;
  kind: string;
  search: string;
}

export function noJobFilters(): JobFilters {
  return { serverId: '', state: '', kind: '', search: '' };
}

/** The `jobs.list` input for the filters; unknown select values are ignored, not sent. */
export function toJobListInput(filters: JobFilters): JobListInput {
  const state = JobState.safeParse(filters.state);
  const kind = JobKind.safeParse(filters.kind);
  const search = filters.search.trim();
  return {
    ...(filters.serverId ? { serverId: filters.serverId } : {}),
    ...(state.success ? { state: state.data } : {}),
    ...(kind.success ? { kind: kind.data } : {}),
    ...(search ? { search } : {}),
    limit: 200,
  };
}

export function hasJobFilters(filters: JobFilters): boolean {
  const { serverId, state, kind, search } = filters;
  return [serverId, state, kind, search].some((value) => value.trim() !== '');
}
