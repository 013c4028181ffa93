import { AgentError } from '../errors';
import { startAndWait } from '../instances/instance-actions';
import type { InstanceDeps } from '../instances/instance-deps';
import { runtimeInstance } from '../instances/instance-paths';
import type { InstanceRecord } from '../instances/instance-record';
import { readInstanceRecord } from '../instances/instance-store';
import { JobFailure } from '../jobs/job-failure';
import { RuntimeError } from '../runtime/runtime';

/**
 * Runs `work` holding the instance's lifecycle lock, with its record read under the lock.
 * A job that got here after the instance was deleted fails with `instance_deleted`.
 */
export async function withInstanceLock<T>(
  deps: InstanceDeps,
  name: string,
  work: (record: InstanceRecord) => Promise<T>,
): Promise<T> {
  return deps.locks.run(name, async () => {
    const found = await readInstanceRecord(deps.root, name);
    if (found.kind !== 'found') {
      throw new JobFailure('instance_deleted', `Instance "${name}" was deleted meanwhile`);
    }
    return work(found.record);
  });
}

/** Stops the instance when the admin wants it running; answers whether it did. */
export async function stopIfWanted(deps: InstanceDeps, record: InstanceRecord): Promise<boolean> {
  if (record.desiredState !== 'running') return false;
  await deps.runtime.preflight({ start: true });
  await deps.runtime.stop(runtimeInstance(deps.root, record));
  return true;
}

/** Starts it again and waits until Odoo answers (instance lock held). */
export async function startAgain(deps: InstanceDeps, record: InstanceRecord): Promise<void> {
  await startAndWait(deps, record);
}

/** Runtime and start failures as job failures the admin can act on. */
export function asJobFailure(error: unknown): unknown {
  if (error instanceof RuntimeError) {
    return new JobFailure(error.code ?? 'runtime_unavailable', error.message);
  }
  if (error instanceof AgentError) return new JobFailure('odoo_start_failed', error.message);
  return error;
}
