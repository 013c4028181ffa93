import {
  type AgentClient,
  AgentClientError,
  type Backup,
  type Instance,
  type InstanceConfigSettings,
  type InstanceConfigUpdate,
  type Job,
  OdooVersion,
} from '@ordo/protocol';
import type { MigrationItem, MigrationStep } from '@ordo/protocol/panel';
import {
  deleteInstanceSecrets,
  findInstanceSecret,
  upsertInstanceSecrets,
} from '../../db/repositories/instance-secrets.repository';
import {
  deleteInstance,
  instanceToRow,
  upsertInstances,
} from '../../db/repositories/instances.repository';
import type { ServerRow } from '../../db/types';
import type { Requester } from '../jobs/deps';
import { pause } from '../jobs/follow-job';
import { recordJob } from '../jobs/record-job';
import { targetProblem } from './check-target';
import type { MigrationDeps } from './deps';
import { failureMessage, MigrationFailure } from './migration-failure';
import { transferBackup } from './transfer-backup';
import { waitForAgentJob } from './wait-agent-job';

export interface MoveContext {
  deps: MigrationDeps;
  jobId: string;
  requester: Requester;
  source: ServerRow;
  target: ServerRow;
  sourceClient: AgentClient;
  targetClient: AgentClient;
  /** Instances of this migration, for the staging rule. */
  movingWith: ReadonlySet<string>;
  signal: AbortSignal;
  log(line: string): Promise<void>;
  /** Stores the instance's step and progress (the job's progress follows). */
  report(changes: Partial<Pick<MigrationItem, 'step' | 'progress'>>): Promise<void>;
}

/** Where each step starts within one instance's move (0..1). */
const STEP_START: Record<MigrationStep, number> = {
  waiting: 0,
  checking: 0.02,
  backup: 0.05,
  creating: 0.25,
  transferring: 0.4,
  configuring: 0.85,
  starting: 0.88,
  stopping_source: 0.95,
  rolling_back: 0,
  done: 1,
};

/** Attempts at deleting a half-created instance on the target, 2 s apart. */
const CLEANUP_ATTEMPTS = 5;

/**
 * Moves one instance: checks, backup on the source, creation on the target, the backup piped
 * from one agent to the other and restored, the source's settings, a start that waits for
 * Odoo's health answer, and only then a stop of the source. Any failure removes what was
 * created on the target and leaves the source running, then throws a {@link MigrationFailure}.
 */
export async function moveInstance(ctx: MoveContext, name: string): Promise<void> {
  let createdOnTarget = false;
  let stoppingSource = false;
  try {
    await step(ctx, 'checking');
    const detail = await ctx.sourceClient.getInstance(name);
    const [versions, instances] = await Promise.all([
      ctx.targetClient.listVersions(),
      ctx.targetClient.listInstances(),
    ]);
    const problem = targetProblem(
      ctx.target.name,
      { versions: versions.versions, instances: instances.instances },
      detail,
      ctx.movingWith,
    );
    if (problem !== null) throw new MigrationFailure(problem);
    const { settings } = await ctx.sourceClient.getInstanceConfig(name);
    await ctx.log(
      `${name}: Odoo ${detail.version} ${detail.edition}, ${detail.type}, ${detail.status} on ${ctx.source.name}`,
    );
    await after(ctx, 'checking', name);

    await step(ctx, 'backup');
    const backup = await takeBackup(ctx, name);
    await after(ctx, 'backup', name);

    await step(ctx, 'creating');
    await ctx.log(`${name}: creating the instance on ${ctx.target.name}`);
    const version = OdooVersion.safeParse(detail.version);
    if (!version.success) {
      throw new MigrationFailure(`Ordo cannot create instances of Odoo ${detail.version}`);
    }
    let created: Awaited<ReturnType<AgentClient['createInstance']>>;
    try {
      created = await ctx.targetClient.createInstance(
        {
          name,
          version: version.data,
          edition: detail.edition,
          adminLogin: detail.adminLogin,
          type: detail.type,
          parent: detail.parent,
        },
        { requestedBy: ctx.requester.email },
      );
    } catch (error) {
      // Unanswered (not refused): the agent may have created it before the answer was lost.
      createdOnTarget =
        error instanceof AgentClientError && error.code !== 'agent_error' && !neverArrived(error);
      throw error;
    }
    createdOnTarget = true;
    await waitRecorded(ctx, ctx.target, ctx.targetClient, created.job, 'instance creation');
    await after(ctx, 'creating', name);

    await step(ctx, 'transferring');
    await ctx.log(
      `${name}: streaming backup ${backup.id} (${backup.size} bytes) from ${ctx.source.name} into a restore on ${ctx.target.name}`,
    );
    const restore = await transferBackup({
      source: ctx.sourceClient,
      target: ctx.targetClient,
      backup,
      instance: name,
      requestedBy: ctx.requester.email,
      signal: ctx.signal,
      onBytes: throttled((bytes) =>
        ctx.report({ progress: span('transferring', 0.6 * (bytes / Math.max(1, backup.size))) }),
      ),
    });
    await ctx.log(`${name}: ${backup.size} bytes transferred, sha256 verified; restoring`);
    await waitRecorded(ctx, ctx.target, ctx.targetClient, restore.job, 'restore', (progress) =>
      ctx.report({ progress: span('transferring', 0.6 + 0.4 * (progress ?? 0)) }),
    );
    await after(ctx, 'transferring', name);

    await step(ctx, 'configuring');
    const portable = portableSettings(settings);
    if (settings.extraAddonsPaths.length > 0) {
      await ctx.log(
        `${name}: extra addons paths of ${ctx.source.name} are not copied (${settings.extraAddonsPaths.join(', ')}): set them on ${ctx.target.name} if its disk has them`,
      );
    }
    await ctx.targetClient.updateInstanceConfig(name, portable);
    await after(ctx, 'configuring', name);

    await step(ctx, 'starting');
    const { instance: started } = await ctx.targetClient.startInstance(name);
    const checked = await ctx.targetClient.getInstance(name);
    if (started.status !== 'running' || checked.status !== 'running') {
      throw new MigrationFailure(
        `${name} does not run on ${ctx.target.name} after its start (${checked.status}${checked.statusReason ? `: ${checked.statusReason}` : ''})`,
      );
    }
    await ctx.log(`${name}: running on ${ctx.target.name}, Odoo answers its health check`);
    await after(ctx, 'starting', name);

    await step(ctx, 'stopping_source');
    stoppingSource = true;
    ctx.signal.throwIfAborted();
    const { instance: stopped } = await ctx.sourceClient.stopInstance(name);
    await ctx.log(
      `${name}: stopped on ${ctx.source.name}; it is kept there (with backup ${backup.id}) until you delete it`,
    );
    await mirrorMoved(ctx, { created: created.masterPassword, started: checked, stopped });
    await step(ctx, 'done');
  } catch (error) {
    const message = failureMessage(error);
    await ctx.log(`${name}: FAILED: ${message}`);
    await ctx.report({ step: 'rolling_back' });
    const notes = await rollBack(ctx, name, { createdOnTarget, stoppingSource });
    throw new MigrationFailure([message, ...notes].join('. '), { cause: error });
  }
}

async function step(ctx: MoveContext, at: MigrationStep): Promise<void> {
  ctx.signal.throwIfAborted();
  await ctx.report({ step: at, progress: STEP_START[at] });
}

async function after(ctx: MoveContext, done: MigrationStep, name: string): Promise<void> {
  await ctx.deps.migrationHooks?.afterStep?.(done, name);
}

/** A progress within `at`: `fraction` (0..1) of the way to the next step. */
function span(at: MigrationStep, fraction: number): number {
  const order: MigrationStep[] = [
    'checking',
    'backup',
    'creating',
    'transferring',
    'configuring',
    'starting',
    'stopping_source',
    'done',
  ];
  const next = order[order.indexOf(at) + 1] ?? 'done';
  const from = STEP_START[at];
  return from + (STEP_START[next] - from) * Math.min(1, Math.max(0, fraction));
}

/** Calls `report` at most once a second (transfer progress arrives per chunk). */
function throttled(report: (bytes: number) => Promise<void>): (bytes: number) => void {
  let last = 0;
  return (bytes) => {
    const now = Date.now();
    if (now - last < 1000) return;
    last = now;
    void report(bytes).catch(() => undefined);
  };
}

async function takeBackup(ctx: MoveContext, name: string): Promise<Backup> {
  // A marker of its own, to find this backup among the instance's others.
  const marker = `migration ${ctx.jobId} by ${ctx.requester.email}`;
  await ctx.log(`${name}: backing up on ${ctx.source.name}`);
  const { job } = await ctx.sourceClient.createBackup(name, { requestedBy: marker });
  await waitRecorded(ctx, ctx.source, ctx.sourceClient, job, 'backup', (progress) =>
    ctx.report({ progress: span('backup', progress ?? 0) }),
  );
  const { backups } = await ctx.sourceClient.listBackups(name);
  const backup = backups.find((candidate) => candidate.requestedBy === marker);
  if (backup === undefined) {
    throw new MigrationFailure(
      `The backup job ${job.id} on ${ctx.source.name} succeeded but its backup is not listed`,
    );
  }
  await ctx.log(`${name}: backup ${backup.id} ready (${backup.size} bytes)`);
  return backup;
}

/** Mirrors the agent job (Jobs page, its own log) and waits for it to succeed. */
async function waitRecorded(
  ctx: MoveContext,
  server: ServerRow,
  client: AgentClient,
  job: Job,
  what: string,
  onProgress?: (progress: number | null) => Promise<void>,
): Promise<Job> {
  await recordJob(ctx.deps, server.id, job, ctx.requester);
  await ctx.log(`  ${what} job ${job.id} on ${server.name}`);
  return waitForAgentJob(client, job, {
    signal: ctx.signal,
    serverName: server.name,
    what,
    ...(onProgress === undefined ? {} : { onProgress }),
  });
}

/** odoo.conf settings worth carrying over; paths of the source's disk are not. */
function portableSettings(settings: InstanceConfigSettings): InstanceConfigUpdate {
  const { extraAddonsPaths: _paths, ...rest } = settings;
  return rest;
}

/**
 * The control plane's records follow the move: the target's instance (with its new master
 * password and the admin password of the database it now holds) and the source's, stopped.
 */
async function mirrorMoved(
  ctx: MoveContext,
  moved: { created: string; started: Instance; stopped: Instance },
): Promise<void> {
  const { deps } = ctx;
  const now = deps.now?.() ?? new Date();
  const adminCiphertext = await findInstanceSecret(deps.db, {
    serverId: ctx.source.id,
    instanceName: moved.started.name,
    kind: 'admin',
  });
  await deps.db.transaction().execute(async (trx) => {
    await upsertInstances(trx, [
      instanceToRow(ctx.target.id, moved.started, now),
      instanceToRow(ctx.source.id, moved.stopped, now),
    ]);
    await upsertInstanceSecrets(trx, ctx.target.id, moved.started.name, [
      { kind: 'master', ciphertext: deps.secretBox.encrypt(moved.created) },
      ...(adminCiphertext === undefined
        ? []
        : [{ kind: 'admin' as const, ciphertext: adminCiphertext }]),
    ]);
  });
}

/**
 * Puts things back: the source started again if its stop was asked for, the instance deleted on
 * the target when this migration created it (retried a few times: the target may be back in
 * a moment). Returns what the admin must know, e.g. a copy that could not be removed.
 */
async function rollBack(
  ctx: MoveContext,
  name: string,
  done: { createdOnTarget: boolean; stoppingSource: boolean },
): Promise<string[]> {
  const notes: string[] = [];
  if (done.stoppingSource) {
    try {
      await ctx.sourceClient.startInstance(name);
      await ctx.log(`${name}: started again on ${ctx.source.name}`);
    } catch (error) {
      notes.push(
        `It could not be started again on ${ctx.source.name} (${failureMessage(error)}): start it there`,
      );
    }
  }
  if (done.createdOnTarget) {
    const removed = await removeFromTarget(ctx, name);
    if (removed === null) {
      await ctx.log(`${name}: removed the partial copy from ${ctx.target.name}`);
    } else {
      notes.push(
        `The partial copy on ${ctx.target.name} could not be removed (${removed}): delete "${name}" there`,
      );
    }
  }
  notes.push(`"${name}" keeps running on ${ctx.source.name}`);
  for (const note of notes) await ctx.log(`${name}: ${note}`);
  return notes;
}

/** Null when the target no longer has the instance; else the last error. */
async function removeFromTarget(ctx: MoveContext, name: string): Promise<string | null> {
  let last = '';
  for (let attempt = 1; attempt <= CLEANUP_ATTEMPTS; attempt += 1) {
    try {
      await ctx.targetClient.deleteInstance(name);
      await forgetOnTarget(ctx, name);
      return null;
    } catch (error) {
      if (error instanceof AgentClientError && error.status === 404) {
        await forgetOnTarget(ctx, name);
        return null;
      }
      last = failureMessage(error);
      // A creation or restore job may still hold the instance: it ends when cancelled.
      if (attempt < CLEANUP_ATTEMPTS) await pause(2000, new AbortController().signal);
    }
  }
  return last;
}

async function forgetOnTarget(ctx: MoveContext, name: string): Promise<void> {
  await ctx.deps.db.transaction().execute(async (trx) => {
    await deleteInstance(trx, ctx.target.id, name);
    await deleteInstanceSecrets(trx, ctx.target.id, name);
  });
}

/** A connection that was refused never carried the request: nothing happened there. */
function neverArrived(error: unknown): boolean {
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
    if (Reflect.get(cause, 'code') === 'ECONNREFUSED') return true;
  }
  return false;
}
