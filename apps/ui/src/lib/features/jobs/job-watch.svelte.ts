import { isJobFinished } from '@ordo/protocol';
import type { JobView } from '@ordo/protocol/panel';
import { api } from '../../api/trpc';
import { pollWhileVisible } from '../../state/poll';
import { JobLogStream } from './job-log.svelte';

const REFRESH_MS = 2000;

/**
 * One job followed live: its log through the subscription, its state and progress through a
 * cheap `jobs.get` poll until it finishes. Stopping only stops watching; the job goes on.
 */
export class JobWatch {
  job: JobView;
  readonly stream: JobLogStream;
  #stopPolling: (() => void) | null = null;

  constructor(job: JobView) {
    this.job = $state(job);
    this.stream = new JobLogStream(job.id, (ended) => this.update(ended));
  }

  get finished(): boolean {
    return isJobFinished(this.job.state);
  }

  start(): void {
    this.stream.start();
    this.#stopPolling?.();
    this.#stopPolling = pollWhileVisible(() => this.#refresh(), REFRESH_MS);
  }

  stop(): void {
    this.stream.stop();
    this.#stopPolling?.();
    this.#stopPolling = null;
  }

  /** Takes a newer copy of the job (from a list the page polls anyway, or a cancel answer). */
  update(job: JobView): void {
    if (job.id !== this.job.id) return;
    // A list polled a moment ago may still say "running" after the log said it ended.
    if (this.finished && !isJobFinished(job.state)) return;
    this.job = job;
  }

  async #refresh(): Promise<void> {
    if (this.finished) {
      this.#stopPolling?.();
      this.#stopPolling = null;
      return;
    }
    try {
      this.update(await api.jobs.get.query({ id: this.job.id }));
    } catch {
      // The log stream reports connection trouble; the next tick tries again.
    }
  }
}
