import { EventEmitter } from 'node:events';
import type { Job } from '@ordo/protocol';

/** Bytes appended to a job's log, with where they start and end in the file. */
export interface LogAppended {
  type: 'log';
  start: number;
  end: number;
  bytes: Buffer;
}

export interface JobEnded {
  type: 'end';
  job: Job;
}

export type JobEvent = LogAppended | JobEnded;

/** In-process fan-out of log appends and job ends, for live log followers. */
export class JobEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    // One listener per follower; many followers of one job are fine.
    this.emitter.setMaxListeners(0);
  }

  emit(id: string, event: JobEvent): void {
    this.emitter.emit(id, event);
  }

  /** Buffers every event of job `id` from now on until `close()`. */
  subscribe(id: string): JobSubscription {
    return new JobSubscription(this.emitter, id);
  }
}

export class JobSubscription {
  private readonly queue: JobEvent[] = [];
  private wake: (() => void) | null = null;
  private readonly listener = (event: JobEvent) => {
    this.queue.push(event);
    this.wake?.();
  };

  constructor(
    private readonly emitter: EventEmitter,
    private readonly id: string,
  ) {
    emitter.on(id, this.listener);
  }

  /** The next event, or null if `signal` aborts first. */
  async next(signal: AbortSignal): Promise<JobEvent | null> {
    while (this.queue.length === 0) {
      if (signal.aborted) return null;
      await new Promise<void>((resolve) => {
        const done = () => {
          this.wake = null;
          signal.removeEventListener('abort', done);
          resolve();
        };
        this.wake = done;
        signal.addEventListener('abort', done, { once: true });
      });
    }
    return this.queue.shift() ?? null;
  }

  close(): void {
    this.emitter.off(this.id, this.listener);
    this.queue.length = 0;
  }
}
