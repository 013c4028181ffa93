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
  /**
   * Between rounds: renews this poller's leases and takes lapsed ones at once; returns the
   * servers just taken from a dead poller (to be polled now rather than next round).
   */
  watch(): Promise<string[]>;
  release(): Promise<void>;
}

/**
 * How often a poller renews its leases and looks for lapsed ones, as a fraction of the polling
 * interval. With a lease lasting one interval, a poller killed right after renewing loses its
 * servers at most one interval later, and a survivor takes them within another quarter:
 * 1.25 intervals after the kill, inside the two the fleet promises; a live poller renews four
 * times per lease, so scheduling jitter of up to ¾ of an interval never costs it a lease.
 */
export const LEASE_WATCH_FRACTION = 0.25;

export function createLeaseKeeper(
  db: Kysely<Database>,
  owner: string,
  intervalMs: number,
): LeaseKeeper {
  // Pollers and leases both count as dead one interval after their last sign of life: a
  // survivor then takes the leases and, the dead poller no longer counted, keeps them all.
  const ttlMs = intervalMs;
  return {
    async refresh() {
      const pollers = await heartbeatPoller(db, owner, ttlMs);
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
    async watch() {
      await heartbeatPoller(db, owner, ttlMs);
      await renewLeases(db, owner, ttlMs);
      return claimExpired(db, owner, ttlMs);
    },
    release: () => dropPoller(db, owner),
  };
}
