import type { InstanceDeps } from './instance-deps';
import { runtimeInstance } from './instance-paths';
import { readAllInstanceRecords } from './instance-store';
import { undoCreate } from './undo-create';

/**
 * At agent start, after interrupted jobs were recovered: a creation left `provisioning` with no
 * job running it is undone, and every instance gets back to its desired state. What still runs
 * is adopted, never started twice.
 */
export async function recoverInstances(
  deps: Pick<InstanceDeps, 'root' | 'pg' | 'runtime' | 'runner' | 'logger'>,
): Promise<void> {
  const creating = new Set(
    deps.runner
      .activeJobs()
      .filter((job) => job.kind === 'instance.create' || job.kind === 'instance.clone')
      .map((job) => job.target),
  );
  for (const record of await readAllInstanceRecords(deps.root, deps.logger)) {
    try {
      if (record.phase === 'provisioning') {
        if (creating.has(record.name)) continue;
        deps.logger.warn({ instance: record.name }, 'removing an unfinished instance creation');
        await undoCreate(deps, record.name);
        continue;
      }
      await deps.runtime.reconcile(runtimeInstance(deps.root, record), record.desiredState);
    } catch (error) {
      deps.logger.error({ instance: record.name, err: error }, 'cannot recover instance');
    }
  }
}
