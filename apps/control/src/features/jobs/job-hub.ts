import { EventEmitter } from 'node:events';

/**
 * In-process signals between the job follower and everything waiting on jobs. They carry no
 * data: PostgreSQL holds the truth, so a listener re-reads it, and a process that misses a
 * signal (or runs elsewhere) still catches up by polling.
 */
export interface JobHub {
  /** Something about the job changed in the mirror: a log chunk, its state, its end. */
  changed(jobId: string): void;
  onChanged(jobId: string, listener: () => void): () => void;
  /** A job was recorded that the follower should pick up now rather than at its next scan. */
  recorded(jobId: string): void;
  onRecorded(listener: (jobId: string) => void): () => void;
}

const RECORDED = '\u0000recorded';

export function createJobHub(): JobHub {
  const emitter = new EventEmitter();
  // Every open log subscription listens; there is no leak to warn about.
  emitter.setMaxListeners(0);
  return {
    changed: (jobId) => emitter.emit(jobId),
    onChanged(jobId, listener) {
      emitter.on(jobId, listener);
      return () => emitter.off(jobId, listener);
    },
    recorded: (jobId) => emitter.emit(RECORDED, jobId),
    onRecorded(listener) {
      emitter.on(RECORDED, listener);
      return () => emitter.off(RECORDED, listener);
    },
  };
}
