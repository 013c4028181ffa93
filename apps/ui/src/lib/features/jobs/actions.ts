import type { JobView } from '@ordo/protocol/panel';
import { readApiError } from '../../api/api-error';
import { api } from '../../api/trpc';
import { handleError } from '../../handle-error';
import { toastManager } from '../../state/toasts.svelte';
import { describeJobKind, describeJobTarget } from './job-format';
import { toJobListInput } from './job-filter';
import { jobsStore } from './jobs.svelte';

/** Loads the list for the current filters; a background refresh failing keeps the old list. */
export async function handleLoadJobs(background = false): Promise<void> {
  if (!background) jobsStore.status = 'loading';
  const filters = { ...jobsStore.filters };
  try {
    const jobs = await api.jobs.list.query(toJobListInput(filters));
    // An answer for filters the user has since changed would flash the wrong rows.
    if (JSON.stringify(filters) !== JSON.stringify(jobsStore.filters)) return;
    jobsStore.jobs = jobs;
    jobsStore.status = 'ready';
    jobsStore.loadError = null;
    jobsStore.refreshError = null;
  } catch (error) {
    if (background && jobsStore.status === 'ready') {
      const apiError = readApiError(error);
      if (apiError.code === 'UNAUTHORIZED') handleError(error, 'Not signed in');
      jobsStore.refreshError = apiError.message;
      return;
    }
    jobsStore.status = 'error';
    jobsStore.loadError = handleError(error, 'Could not load the jobs').message;
  }
}

/** `null` when the control plane refused (the toast says why). */
export async function handleCancelJob(job: JobView): Promise<JobView | null> {
  try {
    const cancelled = await api.jobs.cancel.mutate({ id: job.id });
    toastManager.show(
      'info',
      `${describeJobKind(job.kind)} of ${describeJobTarget(job)} is being cancelled`,
    );
    void handleLoadJobs(true);
    return cancelled;
  } catch (error) {
    handleError(error, 'Could not cancel the job');
    return null;
  }
}
