import type { Logger } from 'pino';
import type { Environment } from '../../config';
import { readOdooLog } from '../../odoo/log-reader';
import { KeyedMutex } from '../keyed-mutex';
import type {
  DesiredState,
  InstanceRuntime,
  RuntimeInstance,
  RuntimeLogQuery,
  RuntimeProcess,
  RuntimeStatus,
} from '../runtime';
import { decideAfterCrash, DEFAULT_CRASH_POLICY, type CrashPolicy } from './crash-policy';
import { findLiveOdoo, liveFromPidFile, processRole, type LiveOdoo } from './find-odoo';
import { lastOdooErrors } from './last-errors';
import { clearFailure, readFailure, removePidFile, writeFailure, writePidFile } from './pidfile';
import { groupMembers, readCmdline, readRssBytes, readStat } from './proc';
import { spawnOdoo } from './spawn-odoo';
import { terminateGroup } from './terminate';

export interface NativeRuntimeOptions {
  logger: Logger;
  /** Environment Odoo is started with (ORDO_* removed). */
  env: Environment;
  crashPolicy?: CrashPolicy;
  /** How often an adopted process (not our child) is checked for life. */
  pollIntervalMs?: number;
  /** How long Odoo gets to stop after SIGTERM before SIGKILL. */
  stopTimeoutMs?: number;
  now?: () => number;
}

/** The Odoo process the runtime watches. */
interface Watched extends LiveOdoo {
  /** Set for a process adopted from a previous agent: it is checked for life by polling. */
  poll: NodeJS.Timeout | null;
  /** Set when we asked it to stop: its exit is then no crash. */
  stopping: boolean;
}

interface Supervision {
  instance: RuntimeInstance;
  /** Restart it when it dies. */
  wanted: boolean;
  process: Watched | null;
  crashTimes: number[];
  restartTimer: NodeJS.Timeout | null;
  /** What `starting` waits for, or why it is in `error`. */
  reason: string | null;
  gaveUp: boolean;
}

/**
 * Runs Odoo as detached processes the agent supervises: one process group per instance, a
 * pidfile that names it for good (pid + start time), restarts with exponential backoff after
 * a crash, `error` after too many, and re-adoption of what a previous agent process started.
 * Start, stop and reconcile of one instance run one at a time. A systemd variant would put the
 * same behaviour in units (Restart=on-failure, StartLimitBurst) and implement this interface.
 */
export class NativeRuntime implements InstanceRuntime {
  readonly kind = 'native';
  private readonly locks = new KeyedMutex();
  private readonly supervised = new Map<string, Supervision>();
  private readonly policy: CrashPolicy;
  private readonly now: () => number;
  private closed = false;

  constructor(private readonly options: NativeRuntimeOptions) {
    this.policy = options.crashPolicy ?? DEFAULT_CRASH_POLICY;
    this.now = options.now ?? Date.now;
  }

  start(instance: RuntimeInstance): Promise<RuntimeStatus> {
    return this.locks.run(instance.name, async () => {
      await clearFailure(instance.dir);
      const entry = this.entryFor(instance);
      this.resetSupervision(entry);
      entry.wanted = true;
      if (entry.process === null) {
        const live = await findLiveOdoo(instance);
        if (live !== null) this.adopt(entry, live);
        else await this.launch(entry);
      }
      const pid = entry.process?.pid;
      return pid === undefined ? { state: 'starting' } : { state: 'running', pid };
    });
  }

  stop(instance: RuntimeInstance): Promise<void> {
    return this.locks.run(instance.name, async () => {
      const entry = this.supervised.get(instance.name);
      let target: LiveOdoo | null = null;
      if (entry) {
        entry.wanted = false;
        this.resetSupervision(entry);
        if (entry.process) {
          entry.process.stopping = true;
          this.unwatch(entry.process);
          target = entry.process;
        }
      }
      target ??= await findLiveOdoo(instance);
      if (target !== null) {
        this.options.logger.info({ instance: instance.name, pid: target.pid }, 'stopping odoo');
        await terminateGroup(target, this.options.stopTimeoutMs ?? 10_000);
      }
      await removePidFile(instance.dir);
      await clearFailure(instance.dir);
      this.supervised.delete(instance.name);
    });
  }

  async status(instance: RuntimeInstance): Promise<RuntimeStatus> {
    const entry = this.supervised.get(instance.name);
    if (entry?.process) return { state: 'running', pid: entry.process.pid };
    if (entry?.restartTimer) return { state: 'starting', reason: entry.reason ?? 'Restarting' };
    if (entry?.gaveUp) return { state: 'error', reason: entry.reason ?? 'Odoo keeps crashing' };
    const failure = await readFailure(instance.dir);
    if (failure !== null) return { state: 'error', reason: failure.reason };
    const live = await liveFromPidFile(instance);
    return live === null ? { state: 'stopped' } : { state: 'running', pid: live.pid };
  }

  logs(instance: RuntimeInstance, query: RuntimeLogQuery) {
    return readOdooLog(instance.logfile, query);
  }

  async processes(instance: RuntimeInstance): Promise<RuntimeProcess[]> {
    const leader = this.supervised.get(instance.name)?.process ?? (await liveFromPidFile(instance));
    if (leader === null) return [];
    const members = await groupMembers(leader.pid);
    return Promise.all(
      members
        .sort((a, b) => (a.pid === leader.pid ? -1 : b.pid === leader.pid ? 1 : a.pid - b.pid))
        .map(async (member) => ({
          pid: member.pid,
          role:
            member.pid === leader.pid
              ? 'main'
              : processRole(await readCmdline(member.pid), instance.confPath),
          rssBytes: await readRssBytes(member.pid),
        })),
    );
  }

  reconcile(instance: RuntimeInstance, desired: DesiredState): Promise<void> {
    return this.locks.run(instance.name, async () => {
      const entry = this.entryFor(instance);
      entry.wanted = desired === 'running';
      if (entry.process !== null) return;
      const live = await findLiveOdoo(instance);
      if (live !== null) {
        this.adopt(entry, live);
        return;
      }
      await removePidFile(instance.dir);
      // An instance the supervisor gave up on waits for the admin.
      if (!entry.wanted || (await readFailure(instance.dir)) !== null) {
        this.supervised.delete(instance.name);
        return;
      }
      try {
        await this.launch(entry);
      } catch (error) {
        await this.recordCrash(entry, `could not be started (${message(error)})`);
      }
    });
  }

  /** Nothing to check up front: a missing interpreter is reported by the start itself. */
  preflight(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.closed = true;
    for (const entry of this.supervised.values()) {
      if (entry.restartTimer) clearTimeout(entry.restartTimer);
      if (entry.process) this.unwatch(entry.process);
    }
    this.supervised.clear();
    return Promise.resolve();
  }

  private entryFor(instance: RuntimeInstance): Supervision {
    let entry = this.supervised.get(instance.name);
    if (!entry) {
      entry = {
        instance,
        wanted: false,
        process: null,
        crashTimes: [],
        restartTimer: null,
        reason: null,
        gaveUp: false,
      };
      this.supervised.set(instance.name, entry);
    }
    entry.instance = instance;
    return entry;
  }

  private resetSupervision(entry: Supervision): void {
    if (entry.restartTimer) clearTimeout(entry.restartTimer);
    entry.restartTimer = null;
    entry.crashTimes = [];
    entry.reason = null;
    entry.gaveUp = false;
  }

  private async launch(entry: Supervision): Promise<void> {
    const { instance } = entry;
    const { pid, exited } = await spawnOdoo(instance, this.options.env);
    const watched: Watched = { pid, startTicks: -1, poll: null, stopping: false };
    entry.process = watched;
    void exited.then((how) => this.onExit(entry, watched, how));
    const stat = await readStat(pid);
    if (stat !== null) {
      watched.startTicks = stat.startTicks;
      await writePidFile(instance.dir, {
        pid,
        startTicks: stat.startTicks,
        conf: instance.confPath,
      });
    }
    this.options.logger.info({ instance: instance.name, pid }, 'started odoo');
  }

  private adopt(entry: Supervision, live: LiveOdoo): void {
    const watched: Watched = { ...live, poll: null, stopping: false };
    // Not our child: its exit is only seen by looking.
    watched.poll = setInterval(() => {
      void readStat(live.pid).then((stat) => {
        if (stat !== null && stat.startTicks === live.startTicks && stat.state !== 'Z') return;
        this.onExit(
          entry,
          watched,
          'exited (its exit status is unknown: a previous agent started it)',
        );
      });
    }, this.options.pollIntervalMs ?? 1000);
    watched.poll.unref();
    entry.process = watched;
    this.options.logger.info(
      { instance: entry.instance.name, pid: live.pid },
      'adopted a running odoo',
    );
  }

  private unwatch(watched: Watched): void {
    if (watched.poll) clearInterval(watched.poll);
    watched.poll = null;
  }

  private onExit(entry: Supervision, watched: Watched, how: string): void {
    this.unwatch(watched);
    if (watched.stopping || this.closed) return;
    void this.locks.run(entry.instance.name, async () => {
      if (watched.stopping || entry.process !== watched || this.closed) return;
      entry.process = null;
      await removePidFile(entry.instance.dir);
      // Workers (and Odoo's gevent process) must not outlive the server and hold its ports.
      await terminateGroup(watched, 0);
      if (!entry.wanted) {
        this.supervised.delete(entry.instance.name);
        return;
      }
      await this.recordCrash(entry, how);
    });
  }

  private async recordCrash(entry: Supervision, how: string): Promise<void> {
    const { instance } = entry;
    const now = this.now();
    entry.crashTimes = [...entry.crashTimes, now].filter(
      (time) => now - time < this.policy.windowMs,
    );
    const decision = decideAfterCrash(entry.crashTimes, now, this.policy);
    if (decision.kind === 'give_up') {
      const errors = await lastOdooErrors(instance);
      const reason =
        `Odoo ${how}; it crashed ${entry.crashTimes.length} times within ` +
        `${Math.round(this.policy.windowMs / 1000)} s, so it is not restarted any more` +
        (errors === '' ? '' : `. Last errors: ${errors}`);
      entry.wanted = false;
      entry.gaveUp = true;
      entry.reason = reason;
      await writeFailure(instance.dir, { reason, at: new Date(now).toISOString() }).catch(() => {});
      this.options.logger.error({ instance: instance.name, reason }, 'odoo keeps crashing');
      return;
    }
    const seconds = decision.delayMs / 1000;
    entry.reason = `Odoo ${how}; restarting in ${seconds} s`;
    this.options.logger.warn(
      { instance: instance.name, how, delayMs: decision.delayMs },
      'odoo crashed',
    );
    entry.restartTimer = setTimeout(() => {
      void this.locks.run(instance.name, () => this.restartAfterCrash(entry));
    }, decision.delayMs);
    entry.restartTimer.unref();
  }

  private async restartAfterCrash(entry: Supervision): Promise<void> {
    entry.restartTimer = null;
    if (this.closed || !entry.wanted || entry.process !== null) return;
    if (this.supervised.get(entry.instance.name) !== entry) return;
    try {
      await this.launch(entry);
    } catch (error) {
      await this.recordCrash(entry, `could not be started (${message(error)})`);
    }
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
