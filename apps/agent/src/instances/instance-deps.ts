import type { Logger } from 'pino';
import type { Environment } from '../config';
import type { PortRange } from '../config/settings';
import type { JobRunner } from '../jobs/job-runner';
import type { PgTarget } from '../postgres/pg-target';
import type { KeyedMutex } from '../runtime/keyed-mutex';
import type { InstanceRuntime } from '../runtime/runtime';
import type { ResolveStatus } from './resolve-status';

/** What instance lifecycle code works with; built once in app.ts. */
export interface InstanceDeps {
  root: string;
  pg: PgTarget;
  /** Interface Odoo listens on (http_interface). */
  instanceHost: string;
  /** Host name in instance URLs. */
  publicHost: string;
  portRange: PortRange;
  /** Put before instance names to form their database names. */
  dbPrefix: string;
  runtime: InstanceRuntime;
  runner: JobRunner;
  resolveStatus: ResolveStatus;
  logger: Logger;
  /** Environment Odoo commands run with (ORDO_* removed before use). */
  env: Environment;
  now: () => Date;
  /** One lifecycle operation per instance at a time (key: the name). */
  locks: KeyedMutex;
  /** How long a start waits for Odoo to answer. */
  healthTimeoutMs: number;
}
