import { JobLogEvent } from '@ordo/protocol/panel';
import type { JobView } from '@ordo/protocol/panel';
import { readApiError } from '../../api/api-error';
import { api } from '../../api/trpc';
import { appendLogChunk, emptyLogBuffer } from './job-log-buffer';
import type { JobLogBuffer } from './job-log-buffer';

export type JobLogStatus = 'connecting' | 'live' | 'ended' | 'failed';

/**
 * Follows one job's log through the `jobs.log` subscription: what is stored first, then live
 * text, then the job as it ended. After a failure `start()` resumes from the last offset.
 */
export class JobLogStream {
  readonly jobId: string;
  log = $state<JobLogBuffer>(emptyLogBuffer());
  status = $state<JobLogStatus>('connecting');
  /** The job as it ended; `null` while it runs. */
  ended = $state<JobView | null>(null);
  error = $state<string | null>(null);
  #stop: (() => void) | null = null;
  #onEnd: (job: JobView) => void;

  constructor(jobId: string, onEnd: (job: JobView) => void = () => undefined) {
    this.jobId = jobId;
    this.#onEnd = onEnd;
  }

  start(): void {
    this.stop();
    this.status = 'connecting';
    this.error = null;
    const subscription = api.jobs.log.subscribe(
      { id: this.jobId, fromOffset: this.log.offset },
      {
        onStarted: () => {
          if (this.status === 'connecting') this.status = 'live';
        },
        onData: (value) => this.#receive(value),
        onError: (error) => {
          this.status = 'failed';
          this.error = readApiError(error).message;
        },
      },
    );
    this.#stop = () => subscription.unsubscribe();
  }

  /** Stops following (closing a dialog); the job itself goes on. */
  stop(): void {
    this.#stop?.();
    this.#stop = null;
  }

  #receive(value: unknown): void {
    const parsed = JobLogEvent.safeParse(value);
    if (!parsed.success) {
      this.status = 'failed';
      this.error = 'The control plane sent a log event the panel cannot read';
      this.stop();
      return;
    }
    const event = parsed.data;
    switch (event.type) {
      case 'chunk':
        this.status = 'live';
        this.log = appendLogChunk(this.log, event);
        return;
      case 'end':
        this.ended = event.job;
        this.status = 'ended';
        this.stop();
        this.#onEnd(event.job);
        return;
    }
  }
}
