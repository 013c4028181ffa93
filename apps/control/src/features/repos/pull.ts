import type { PullRepoResult } from '@ordo/protocol/panel';
import { ConflictError } from '../../errors';
import type { Requester } from '../jobs/deps';
import type { RepoDeps } from './deps';
import { getRepoOfInstance } from './internal';
import { decidePull, startClaimedPull } from './pull-scheduler';

/** A pull asked for in the panel: refused while a clone or pull of the repository is running. */
export async function pullRepoNow(
  deps: RepoDeps,
  ref: { serverId: string; name: string; repoId: string },
  requester: Requester,
): Promise<PullRepoResult> {
  const row = await getRepoOfInstance(deps.db, ref);
  const now = deps.now?.() ?? new Date();
  const decision = await deps.db
    .transaction()
    .execute((trx) => decidePull(trx, row.id, { now, queue: false }));
  if (decision.kind === 'follows') {
    throw new ConflictError(
      decision.jobId === null
        ? 'A pull of this repository is being started: watch its progress in the list'
        : `A clone or pull of this repository is running (job ${decision.jobId}): pull again when it has ended`,
    );
  }
  const job = await startClaimedPull(deps, decision.repo, {
    requester,
    requestedBy: requester.email,
  });
  return { job };
}
