import type { InstanceLogs, LogLineLevel, RuntimeKind } from '@ordo/protocol';

/** What a runtime needs to know about an instance; built from its record (instance-paths.ts). */
export interface RuntimeInstance {
  name: string;
  /** Odoo series, e.g. "17.0". */
  version: string;
  /** `<root>/instances/<name>`. */
  dir: string;
  confPath: string;
  logfile: string;
  /** `<root>/versions/<version>`: the checkout (`odoo/`) and the virtualenv (`venv/`). */
  versionDir: string;
}

export type RuntimeState = 'running' | 'stopped' | 'starting' | 'error';

export interface RuntimeStatus {
  state: RuntimeState;
  /** The main process (native) while there is one. */
  pid?: number;
  /** Why it is in `error` (or what `starting` waits for), in words an admin can act on. */
  reason?: string;
}

export interface RuntimeProcess {
  pid: number;
  /**
   * `main`, `http-worker`, `cron-worker`, `gevent`, `worker` (a fork that does not say which)
   * or `helper` (a program Odoo runs).
   */
  role: string;
  rssBytes: number | null;
}

export interface RuntimeLogQuery {
  level?: LogLineLevel | undefined;
  cursor?: string | undefined;
  limit: number;
}

/** What the desired state of an instance is, as its record keeps it. */
export type DesiredState = 'running' | 'stopped';

/**
 * Everything that starts, stops, inspects or tails an Odoo instance. Lifecycle code only talks
 * to this, so the Docker runtime (and a systemd variant of the native one) plugs in unchanged.
 * Implementations never run two Odoo processes (or containers) for one instance.
 */
export interface InstanceRuntime {
  readonly kind: RuntimeKind;
  /** Starts it (or finds it already running) and keeps it running: restarts it after a crash. */
  start(instance: RuntimeInstance): Promise<RuntimeStatus>;
  /** Stops it and everything it started; resolves once nothing of it runs any more. */
  stop(instance: RuntimeInstance): Promise<void>;
  status(instance: RuntimeInstance): Promise<RuntimeStatus>;
  logs(instance: RuntimeInstance, query: RuntimeLogQuery): Promise<InstanceLogs>;
  processes(instance: RuntimeInstance): Promise<RuntimeProcess[]>;
  /**
   * At agent start: takes over what still runs from a previous agent process (never starting
   * a second one) and starts what should run but does not.
   */
  reconcile(instance: RuntimeInstance, desired: DesiredState): Promise<void>;
  /** The agent stops: stop supervising. Instances keep running; the next agent re-adopts them. */
  close(): Promise<void>;
  /**
   * Throws a {@link RuntimeError} when the runtime cannot act on instances now (its container
   * engine does not answer) or, with `start`, cannot start one (its image is missing).
   * Lifecycle actions call it before they change anything.
   */
  preflight(intent: { start: boolean }): Promise<void>;
}

/** A runtime that cannot do what was asked (a missing program, an unreachable engine…). */
export class RuntimeError extends Error {
  override readonly name = 'RuntimeError';
  /** Which failure, for job errors (e.g. `engine_unreachable`, `image_missing`); may be absent. */
  readonly code: string | undefined;

  constructor(message: string, options: { cause?: unknown; code?: string } = {}) {
    super(message, { cause: options.cause });
    this.code = options.code;
  }
}
