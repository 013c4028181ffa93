import type { Kysely } from 'kysely';
import {
  claimExpired,
  claimUnleased,
  countServers,
  dropPoller,
  heartbeatPoller,
  releaseLeases,
  renewLeases,
} from '../../db/repositories/metric-leases.repository';
import type { Database } from '../../db/types';

/**
 * Why leases rather than per-server advisory locks: a lease table lets every poller see how
 * many pollers live and hand servers over to a newcomer (a fair share each), and needs no
 * connection pinned per process; a dead poller's leases lapse after `ttl`, then are taken.
 */
export interface LeaseKeeper {
  /** Renews, rebalances and claims; returns the servers this poller polls this round. */
  refresh(): Promise<string[]>;
  /** Gives every lease back at once, so the others take over on their next round. */
  release(): Promise<void>;
}

export function createLeaseKeeper(
  db: Kysely<Database>,
  owner: string,
  intervalMs: number,
): LeaseKeeper {
  // A lease outlives its renewal by half an interval (scheduling jitter), so a live poller never
  // loses one; a dead one's servers are taken on the first round after that.
  const ttlMs = Math.round(intervalMs * 1.5);
  return {
    async refresh() {
      const pollers = await heartbeatPoller(db, owner, intervalMs * 3);
      const total = await countServers(db);
      const share = Math.ceil(total / Math.max(1, pollers));
      const held = (await renewLeases(db, owner, ttlMs)).sort();
      const excess = held.slice(share);
      await releaseLeases(db, owner, excess);
      const kept = held.slice(0, share);
      const orphaned = await claimExpired(db, owner, ttlMs);
      const claimed = await claimUnleased(db, owner, share - kept.length - orphaned.length, ttlMs);
      return [...kept, ...orphaned, ...claimed];
    },
    release: () => dropPoller(db, owner),
  };
}
