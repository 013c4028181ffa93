import { isJobFinished, type Job, type JobError, type JobKind } from '@ordo/protocol';
import type { Logger } from 'pino';
import { AgentError } from '../errors';
import { runProcess, type ProcessResult, type RunProcessOptions } from '../system/run-process';
import { ActiveJob, type StopReason } from './active-job';
import { JobEvents } from './job-events';
import { JobFailure } from './job-failure';
import { newJobId } from './job-id';
import { listJobs, type JobFilter } from './list-jobs';
import { recoverInterruptedJobs, type JobCleanup } from './recover-jobs';
import { JobStore } from './job-store';

export type { JobCleanup } from './recover-jobs';

export interface JobContext {
  readonly jobId: string;
  /** Aborted when the job is cancelled or the agent stops; handlers stop soon after. */
  readonly signal: AbortSignal;
  /** Appends a line to the job log. */
  log(line: string): void;
  /** 0..1, or null when unknown. */
  progress(fraction: number | null): void;
  /**
   * Runs a program for this job: killed with its process group on cancel, recorded for reaping
   * after a crash, output lines appended to the log unless `quiet`. Throws once cancelled.
   */
  run(
    command: string,
    args: readonly string[],
    options?: Pick<RunProcessOptions, 'cwd' | 'env' | 'onLine'> & { quiet?: boolean },
  ): Promise<ProcessResult>;
}

export type JobHandler = (context: JobContext) => Promise<void>;

export interface EnqueueInput {
  kind: JobKind;
  target: string;
  requestedBy?: string | null;
  /** The 409 message when a job of this kind already runs on this target. */
  conflictMessage: (running: Job) => string;
  /**
   * What must not run twice at once; default: the kind and the target. Repository jobs target
   * the instance but are exclusive per repository, so that two repositories pull side by side.
   */
  slot?: string;
  handler: JobHandler;
}

export interface JobRunnerDeps {
  root: string;
  logger: Logger;
  now?: () => Date;
}

const STOP_ERRORS: Readonly<Record<StopReason, JobError>> = {
  cancel: { code: 'cancelled', message: 'Cancelled on request' },
  shutdown: { code: 'agent_stopped', message: 'The agent stopped while this job was running' },
};

/**
 * Runs jobs in the background and keeps them on disk. At most one job per (kind, target) runs
 * at a time; each job gets a log, progress and a cancel signal.
 */
export class JobRunner {
  readonly events = new JobEvents();
  readonly store: JobStore;
  private readonly logger: Logger;
  private readonly now: () => Date;
  private readonly active = new Map<string, ActiveJob>();
  private readonly slots = new Map<string, string>();
  /** The slot each active job holds (set when `EnqueueInput.slot` chose it). */
  private readonly jobSlots = new Map<string, string>();
  private readonly running = new Set<Promise<void>>();
  private readonly cleanups = new Map<JobKind, JobCleanup>();
  private stopping = false;

  constructor(deps: JobRunnerDeps) {
    this.store = new JobStore(deps.root);
    this.logger = deps.logger;
    this.now = deps.now ?? (() => new Date());
  }

  /** What to undo for a job of `kind` that a crash interrupted (see recoverInterruptedJobs). */
  registerCleanup(kind: JobKind, cleanup: JobCleanup): void {
    this.cleanups.set(kind, cleanup);
  }

  /**
   * Marks every job a previous agent process left pending or running as failed, kills what is
   * left of its processes and runs its kind's cleanup. Call once, before serving requests.
   */
  async recoverInterruptedJobs(): Promise<Job[]> {
    await this.store.removeLeftovers();
    return recoverInterruptedJobs({
      store: this.store,
      logger: this.logger,
      now: this.now,
      cleanups: this.cleanups,
      isActive: (id) => this.active.has(id),
    });
  }

  /** Records the job as pending and starts it in the background; returns at once. */
  async enqueue(input: EnqueueInput): Promise<Job> {
    if (this.stopping) throw new AgentError('unavailable', 503, 'The agent is stopping');
    const slot = input.slot ?? slotKey(input.kind, input.target);
    const holder = this.slots.get(slot);
    const running = holder === undefined ? undefined : this.active.get(holder);
    if (running) throw new AgentError('conflict', 409, input.conflictMessage(running.job));

    const job: Job = {
      id: newJobId(this.now()),
      kind: input.kind,
      state: 'pending',
      progress: null,
      target: input.target,
      createdAt: this.now().toISOString(),
      startedAt: null,
      endedAt: null,
      error: null,
      requestedBy: input.requestedBy ?? null,
    };
    const active = new ActiveJob(job, this.store, this.events, this.logger);
    // Reserve the slot before the first await so a concurrent request sees it.
    this.slots.set(slot, job.id);
    this.jobSlots.set(job.id, slot);
    this.active.set(job.id, active);
    try {
      await this.store.ensureDir();
      await this.store.createLog(job.id);
      await this.store.write(job);
    } catch (error) {
      this.slots.delete(slot);
      this.jobSlots.delete(job.id);
      this.active.delete(job.id);
      throw error;
    }

    const run = this.run(active, input.handler).finally(() => this.running.delete(run));
    this.running.add(run);
    this.logger.info({ jobId: job.id, kind: job.kind, target: job.target }, 'job queued');
    return active.job;
  }

  /** The live job, or its record on disk; null when there is no such job. */
  async get(id: string): Promise<Job | null> {
    return this.active.get(id)?.job ?? (await this.store.read(id));
  }

  async list(filter: JobFilter): Promise<Job[]> {
    return listJobs(
      { store: this.store, logger: this.logger, live: (id) => this.active.get(id)?.job },
      filter,
    );
  }

  /** Jobs this process runs or is about to run. */
  activeJobs(): Job[] {
    return [...this.active.values()].map((active) => active.job);
  }

  isActive(id: string): boolean {
    return this.active.has(id);
  }

  /** Asks a job to stop. Throws 404 for an unknown job and 409 for one that already ended. */
  async cancel(id: string): Promise<Job> {
    const active = this.active.get(id);
    if (active) {
      if (active.stopReason === null) {
        active.stopReason = 'cancel';
        active.log('Cancel requested');
        active.controller.abort();
        this.logger.info({ jobId: id }, 'job cancel requested');
      }
      return active.job;
    }
    const job = await this.store.read(id);
    if (job === null) throw new AgentError('not_found', 404, `No job ${id}`);
    throw new AgentError(
      'conflict',
      409,
      isJobFinished(job.state)
        ? `Job ${id} already ended (${job.state})`
        : `Job ${id} is not run by this agent process`,
    );
  }

  /** Stops every job (they end failed, `agent_stopped`) and refuses new ones. */
  async shutdown(): Promise<void> {
    this.stopping = true;
    for (const active of this.active.values()) {
      if (active.stopReason !== null) continue;
      active.stopReason = 'shutdown';
      active.controller.abort();
    }
    await Promise.all(this.running);
  }

  private async run(active: ActiveJob, handler: JobHandler): Promise<void> {
    // Let enqueue's caller answer with the pending job before anything happens.
    await new Promise((resolve) => setImmediate(resolve));
    const { signal } = active.controller;
    let error: JobError | null = null;

    if (signal.aborted) {
      error = STOP_ERRORS[active.stopReason ?? 'cancel'];
    } else {
      await active.update({ state: 'running', startedAt: this.now().toISOString(), progress: 0 });
      this.logger.info({ jobId: active.id }, 'job started');
      try {
        await handler(this.contextFor(active));
      } catch (thrown) {
        // Whatever a stopped handler throws on its way out, the stop is the reason.
        error = signal.aborted
          ? STOP_ERRORS[active.stopReason ?? 'cancel']
          : this.describeFailure(active, thrown);
      }
    }

    const state =
      error === null ? 'succeeded' : error.code === 'cancelled' ? 'cancelled' : 'failed';
    active.log(
      error === null
        ? 'Succeeded'
        : `${state === 'cancelled' ? 'Cancelled' : 'Failed'}: ${error.message}`,
    );
    await active.update({
      state,
      error,
      endedAt: this.now().toISOString(),
      ...(state === 'succeeded' ? { progress: 1 } : {}),
    });
    await active.settle();

    const job = active.job;
    this.active.delete(job.id);
    const slot = this.jobSlots.get(job.id) ?? slotKey(job.kind, job.target);
    this.jobSlots.delete(job.id);
    if (this.slots.get(slot) === job.id) this.slots.delete(slot);
    this.logger.info({ jobId: job.id, state, error }, 'job ended');
    this.events.emit(job.id, { type: 'end', job });
  }

  private describeFailure(active: ActiveJob, thrown: unknown): JobError {
    if (thrown instanceof JobFailure) return { code: thrown.code, message: thrown.message };
    this.logger.error({ jobId: active.id, err: thrown }, 'job failed unexpectedly');
    const detail = thrown instanceof Error ? thrown.message : String(thrown);
    return { code: 'internal', message: `The job failed unexpectedly: ${detail}` };
  }

  private contextFor(active: ActiveJob): JobContext {
    const { signal } = active.controller;
    return {
      jobId: active.id,
      signal,
      log: (line) => active.log(line),
      progress: (fraction) => active.progress(fraction),
      run: async (command, args, options = {}) => {
        let pid: number | undefined;
        try {
          return await runProcess(command, args, {
            ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
            ...(options.env === undefined ? {} : { env: options.env }),
            signal,
            onSpawn: (spawned) => {
              pid = spawned;
              active.processStarted(spawned);
            },
            onLine: (line, stream) => {
              if (!options.quiet) active.log(line);
              options.onLine?.(line, stream);
            },
          });
        } finally {
          if (pid !== undefined) await active.processEnded(pid);
        }
      },
    };
  }
}

function slotKey(kind: JobKind, target: string): string {
  return `${kind}\u0000${target}`;
}
