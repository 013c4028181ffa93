import { randomUUID } from 'node:crypto';
import { AgentClientError, type AgentClient, createAgentClient } from '@ordo/protocol';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { SecretBox } from '../../crypto/secret-box';
import { updateServer } from '../../db/repositories/servers.repository';
import type { Database, ServerRow } from '../../db/types';
import { createLeaseKeeper, LEASE_WATCH_FRACTION } from './lease-keeper';
import { createSampleWriter } from './sample-writer';
import { createSemaphore } from './semaphore';

export interface MetricsPollerDeps {
  db: Kysely<Database>;
  logger: Logger;
  secretBox: SecretBox;
}

export interface MetricsPollerOptions {
  intervalMs: number;
  /** Polls in flight at once (default 50). */
  concurrency?: number;
  /** Per-request timeout (default: the interval, at most 3 s). */
  timeoutMs?: number;
  /** Consecutive failures before the server turns inactive (default 3). */
  failuresBeforeInactive?: number;
  /** This poller's name in the lease table (default: a random UUID). */
  owner?: string;
  /** Told after every poll (the fleet benchmark measures latency with it). */
  onPoll?: (poll: { serverId: string; ms: number; ok: boolean }) => void;
}

export interface MetricsPoller {
  readonly owner: string;
  /** Stops polling, waits for polls in flight and hands the leases over. */
  stop(): Promise<void>;
}

const DOWN_CODES = new Set(['unreachable', 'timeout', 'unauthorized', 'not_ordo_agent']);

interface Tracked {
  client: AgentClient;
  key: string;
  failures: number;
}

/**
 * Every interval: renew and claim leases, then poll each leased agent's `/v1/metrics` (never
 * two polls of one agent at once, bounded concurrency, a timeout each). A hung agent only
 * holds its own slot until its timeout; the others go on.
 */
export function startMetricsPoller(
  deps: MetricsPollerDeps,
  options: MetricsPollerOptions,
): MetricsPoller {
  const owner = options.owner ?? randomUUID();
  const { intervalMs } = options;
  const timeoutMs = options.timeoutMs ?? Math.min(intervalMs, 3000);
  const threshold = options.failuresBeforeInactive ?? 3;
  const leases = createLeaseKeeper(deps.db, owner, intervalMs);
  const writer = createSampleWriter(deps.db, deps.logger);
  const limit = createSemaphore(options.concurrency ?? 50);
  const tracked = new Map<string, Tracked>();
  const inFlight = new Map<string, Promise<void>>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> = Promise.resolve();

  function clientFor(server: ServerRow): Tracked {
    const key = `${server.agent_url}\n${server.token_ciphertext}`;
    const known = tracked.get(server.id);
    if (known?.key === key) return known;
    const client = createAgentClient({
      baseUrl: server.agent_url,
      token: deps.secretBox.decrypt(server.token_ciphertext),
      timeoutMs,
    });
    const fresh = { client, key, failures: known?.failures ?? 0 };
    tracked.set(server.id, fresh);
    return fresh;
  }

  async function poll(server: ServerRow): Promise<void> {
    const entry = clientFor(server);
    const started = performance.now();
    try {
      const snapshot = await entry.client.metrics();
      options.onPoll?.({ serverId: server.id, ms: performance.now() - started, ok: true });
      entry.failures = 0;
      writer.add({
        serverId: server.id,
        collectedAt: snapshot.collectedAt,
        server: snapshot.server,
        instances: snapshot.instances,
      });
      if (server.status !== 'active') {
        await updateServer(deps.db, server.id, {
          status: 'active',
          last_error: null,
          latency_ms: Math.round(performance.now() - started),
        });
      }
    } catch (error) {
      if (!(error instanceof AgentClientError)) throw error;
      options.onPoll?.({ serverId: server.id, ms: performance.now() - started, ok: false });
      // An agent that answers, even with an error (an older one without metrics), is alive.
      if (!DOWN_CODES.has(error.code)) return;
      entry.failures += 1;
      if (entry.failures >= threshold && server.status !== 'inactive') {
        await updateServer(deps.db, server.id, {
          status: 'inactive',
          last_error: error.message,
          latency_ms: null,
        });
      }
    }
  }

  function launch(server: ServerRow) {
    // Still waiting on the last poll (a slow agent): polling again would only pile up.
    if (inFlight.has(server.id)) return;
    const running = limit(() => poll(server))
      .catch((error: unknown) => {
        deps.logger.warn({ err: error, serverId: server.id }, 'metrics poll failed');
      })
      .finally(() => inFlight.delete(server.id));
    inFlight.set(server.id, running);
  }

  const loadServers = (ids: string[]) =>
    deps.db.selectFrom('servers').selectAll().where('id', 'in', ids).execute();

  async function tick(): Promise<void> {
    const ids = await leases.refresh();
    if (stopped || ids.length === 0) return;
    const servers = await loadServers(ids);
    for (const id of tracked.keys()) if (!ids.includes(id)) tracked.delete(id);
    for (const server of servers) launch(server);
  }

  /** Keeps the leases fresh between rounds and polls a dead poller's agents as soon as taken. */
  async function watch(): Promise<void> {
    const orphaned = await leases.watch();
    if (stopped || orphaned.length === 0) return;
    deps.logger.info({ servers: orphaned.length }, 'took over the agents of a silent poller');
    for (const server of await loadServers(orphaned)) launch(server);
  }

  function schedule(delay: number) {
    if (stopped) return;
    timer = setTimeout(() => {
      const started = Date.now();
      ticking = tick()
        .catch((error: unknown) => deps.logger.warn({ err: error }, 'metrics round failed'))
        .finally(() => schedule(Math.max(0, intervalMs - (Date.now() - started))));
    }, delay);
  }
  schedule(0);

  let watching: Promise<void> | null = null;
  const watcher = setInterval(
    () => {
      // One watch at a time: a slow database must not stack them up.
      if (stopped || watching !== null) return;
      watching = watch()
        .catch((error: unknown) => deps.logger.warn({ err: error }, 'metrics lease watch failed'))
        .finally(() => {
          watching = null;
        });
    },
    Math.round(intervalMs * LEASE_WATCH_FRACTION),
  );

  return {
    owner,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      clearInterval(watcher);
      await ticking;
      await watching;
      await Promise.all(inFlight.values());
      await writer.flush();
      await leases.release().catch((error: unknown) => {
        deps.logger.warn({ err: error }, 'cannot release metrics leases');
      });
    },
  };
}
