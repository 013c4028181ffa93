import type { Job, JobError, JobState } from '@ordo/protocol';
import type { Logger } from 'pino';
import { processIdentity, type ProcessIdentity } from '../system/process-identity';
import type { JobEvents } from './job-events';
import type { JobStore } from './job-store';

export type StopReason = 'cancel' | 'shutdown';

const PROGRESS_WRITE_INTERVAL_MS = 1000;

/**
 * A job this agent process runs (or is about to): its live record, its log writer and its child
 * processes. Disk writes are chained per job so that they land in order: the last record
 * written is always the newest, and log offsets grow without gaps.
 */
export class ActiveJob {
  readonly controller = new AbortController();
  stopReason: StopReason | null = null;
  private current: Job;
  private logWrites: Promise<void> = Promise.resolve();
  private recordWrites: Promise<void> = Promise.resolve();
  private logSize = 0;
  private processes: ProcessIdentity[] = [];
  private processWrites: Promise<void> = Promise.resolve();
  private readonly processLookups = new Map<number, Promise<void>>();
  private progressTimer: NodeJS.Timeout | null = null;

  constructor(
    job: Job,
    private readonly store: JobStore,
    private readonly events: JobEvents,
    private readonly logger: Logger,
  ) {
    this.current = job;
  }

  get job(): Job {
    return { ...this.current };
  }

  get id(): string {
    return this.current.id;
  }

  /** Appends text to the log, ending it with a newline; followers see it once it is on disk. */
  log(text: string): void {
    const data = Buffer.from(text.endsWith('\n') ? text : `${text}\n`, 'utf8');
    this.logWrites = this.logWrites.then(async () => {
      try {
        await this.store.appendLog(this.id, data);
      } catch (error) {
        this.logger.error({ jobId: this.id, err: error }, 'cannot append to the job log');
        return;
      }
      const start = this.logSize;
      this.logSize += data.length;
      this.events.emit(this.id, { type: 'log', start, end: this.logSize, bytes: data });
    });
  }

  progress(fraction: number | null): void {
    const value = fraction === null ? null : Math.min(1, Math.max(0, fraction));
    if (value === this.current.progress) return;
    this.current = { ...this.current, progress: value };
    // Progress moves often; the record on disk only needs to be roughly current.
    this.progressTimer ??= setTimeout(() => {
      this.progressTimer = null;
      void this.persist();
    }, PROGRESS_WRITE_INTERVAL_MS);
  }

  async update(changes: {
    state: JobState;
    progress?: number | null;
    error?: JobError | null;
    startedAt?: string;
    endedAt?: string;
  }): Promise<void> {
    this.current = { ...this.current, ...changes };
    await this.persist();
  }

  /** Resolves once every log line written so far is on disk. */
  async flushLog(): Promise<void> {
    await this.logWrites;
  }

  /** Records a child process so that a restarted agent can kill it if this one dies. */
  processStarted(pid: number): void {
    const lookup = processIdentity(pid).then(async (identity) => {
      if (identity === null) return;
      this.processes.push(identity);
      await this.saveProcesses();
    });
    this.processLookups.set(pid, lookup);
  }

  async processEnded(pid: number): Promise<void> {
    await this.processLookups.get(pid);
    this.processLookups.delete(pid);
    const before = this.processes.length;
    this.processes = this.processes.filter((process) => process.pid !== pid);
    if (this.processes.length !== before) await this.saveProcesses();
  }

  /** Stops the progress timer and waits for pending writes; call once the job has ended. */
  async settle(): Promise<void> {
    if (this.progressTimer) clearTimeout(this.progressTimer);
    this.progressTimer = null;
    await Promise.all(this.processLookups.values());
    await this.logWrites;
    await this.recordWrites;
    this.processes = [];
    await this.saveProcesses();
  }

  private persist(): Promise<void> {
    this.recordWrites = this.recordWrites.then(async () => {
      try {
        await this.store.write(this.current);
      } catch (error) {
        this.logger.error({ jobId: this.id, err: error }, 'cannot write the job record');
      }
    });
    return this.recordWrites;
  }

  private saveProcesses(): Promise<void> {
    const snapshot = [...this.processes];
    this.processWrites = this.processWrites.then(async () => {
      try {
        await this.store.writeProcesses(this.id, snapshot);
      } catch (error) {
        this.logger.warn({ jobId: this.id, err: error }, 'cannot record the job processes');
      }
    });
    return this.processWrites;
  }
}
