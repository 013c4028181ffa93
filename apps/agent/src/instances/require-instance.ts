import { AgentError } from '../errors';
import type { InstanceDeps } from './instance-deps';
import type { InstanceRecord } from './instance-record';
import { readInstanceRecord } from './instance-store';

/** The record of `name`; 404 naming it when there is none. */
export async function requireInstance(
  deps: Pick<InstanceDeps, 'root'>,
  name: string,
): Promise<InstanceRecord> {
  const found = await readInstanceRecord(deps.root, name);
  if (found.kind === 'found') return found.record;
  if (found.kind === 'absent') {
    throw new AgentError('not_found', 404, `No instance named "${name}" on this server`);
  }
  throw new AgentError(
    'internal',
    500,
    `The record of instance "${name}" is unusable (${found.reason}); fix or remove it`,
  );
}

/** Like {@link requireInstance}, and 409 while its creation job still runs. */
export async function requireReadyInstance(
  deps: Pick<InstanceDeps, 'root' | 'runner'>,
  name: string,
  action: string,
): Promise<InstanceRecord> {
  const record = await requireInstance(deps, name);
  const creating = deps.runner
    .activeJobs()
    .find(
      (job) =>
        (job.kind === 'instance.create' || job.kind === 'instance.clone') && job.target === name,
    );
  if (record.phase === 'provisioning' || creating) {
    throw new AgentError(
      'conflict',
      409,
      `Instance "${name}" is still being created` +
        (creating ? ` (job ${creating.id})` : '') +
        `: wait for it to finish before you ${action} it`,
    );
  }
  return record;
}
