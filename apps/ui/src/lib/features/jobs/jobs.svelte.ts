import type { JobView } from '@ordo/protocol/panel';
import { noJobFilters } from './job-filter';
import type { JobFilters } from './job-filter';

type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

/** The Jobs page's data: the filtered list, kept fresh while the page is open. */
class JobsStore {
  jobs = $state<JobView[]>([]);
  status = $state<LoadStatus>('idle');
  loadError = $state<string | null>(null);
  /** Set while background refreshes fail; the list shown is then the last one received. */
  refreshError = $state<string | null>(null);
  filters = $state<JobFilters>(noJobFilters());
}

export const jobsStore = new JobsStore();
