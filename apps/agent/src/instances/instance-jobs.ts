import { INSTANCE_NAME_PATTERN } from '@ordo/protocol';
import type { JobRunner } from '../jobs/job-runner';
import type { InstanceDeps } from './instance-deps';
import { undoCreate } from './undo-create';

/** After a crash, an interrupted creation is undone like a failed one (see undoCreate). */
export function registerInstanceJobs(
  runner: JobRunner,
  deps: Pick<InstanceDeps, 'root' | 'pg' | 'runtime' | 'logger'>,
): void {
  for (const kind of ['instance.create', 'instance.clone'] as const) {
    runner.registerCleanup(kind, async (job) => {
      if (!INSTANCE_NAME_PATTERN.test(job.target)) return;
      await undoCreate(deps, job.target);
    });
  }
}
