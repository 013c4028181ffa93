import type { InstanceActionResult } from '@ordo/protocol';
import { ensureConnectAddonQuietly } from '../connect-as/connect-addon';
import { AgentError } from '../errors';
import { RuntimeError } from '../runtime/runtime';
import type { InstanceDeps } from './instance-deps';
import { runtimeInstance } from './instance-paths';
import type { InstanceRecord } from './instance-record';
import { writeInstanceRecord } from './instance-store';
import { toInstance } from './list-instances';
import { requireReadyInstance } from './require-instance';
import { mapRuntimeErrors } from './runtime-failure';
import { healthUrl, OdooStartError, waitForOdoo } from './wait-for-odoo';

export type InstanceAction = 'start' | 'stop' | 'restart';

/** Start, stop or restart; answers once done (a start once Odoo answers HTTP). */
export async function runInstanceAction(
  deps: InstanceDeps,
  name: string,
  action: InstanceAction,
): Promise<InstanceActionResult> {
  return deps.locks.run(name, async () => {
    let record = await requireReadyInstance(deps, name, action);
    await mapRuntimeErrors(() => deps.runtime.preflight({ start: action !== 'stop' }));
    switch (action) {
      case 'start':
        record = await startAndWait(deps, record);
        break;
      case 'stop':
        record = await mapRuntimeErrors(() => stopInstance(deps, record));
        break;
      case 'restart':
        await mapRuntimeErrors(() => deps.runtime.stop(runtimeInstance(deps.root, record)));
        record = await startAndWait(deps, record);
        break;
    }
    return { instance: await toInstance(record, deps.resolveStatus) };
  });
}

async function stopInstance(deps: InstanceDeps, record: InstanceRecord): Promise<InstanceRecord> {
  const stopped: InstanceRecord = { ...record, desiredState: 'stopped', lastError: null };
  await writeInstanceRecord(deps.root, stopped);
  await deps.runtime.stop(runtimeInstance(deps.root, record));
  return stopped;
}

/**
 * Starts the instance and waits until it answers. When it does not, it is stopped again and
 * left in `error` with the reason (and its last log lines): a 502 for the caller.
 * Call with the instance's lock held.
 */
export async function startAndWait(
  deps: InstanceDeps,
  record: InstanceRecord,
): Promise<InstanceRecord> {
  const instance = runtimeInstance(deps.root, record);
  const started: InstanceRecord = { ...record, desiredState: 'running', lastError: null };
  await writeInstanceRecord(deps.root, started);
  // Instances older than Ordo's login module get it whenever they start anyway.
  await ensureConnectAddonQuietly(deps, record.name);
  try {
    await deps.runtime.start(instance);
    await waitForOdoo({
      runtime: deps.runtime,
      instance,
      url: healthUrl(deps.instanceHost, record),
      timeoutMs: deps.healthTimeoutMs,
    });
    return started;
  } catch (error) {
    if (!(error instanceof OdooStartError || error instanceof RuntimeError)) throw error;
    await deps.runtime.stop(instance);
    await writeInstanceRecord(deps.root, {
      ...record,
      desiredState: 'stopped',
      lastError: error.message,
    });
    deps.logger.warn({ instance: record.name, reason: error.message }, 'odoo did not start');
    throw new AgentError(
      'unavailable',
      502,
      `Instance "${record.name}" did not start: ${error.message}`,
      {
        cause: error,
      },
    );
  }
}
