import type { PingResult } from '@ordo/protocol/panel';
import { updateServer } from '../../db/repositories/servers.repository';
import type { ServerDeps } from './deps';
import { AgentClientError, agentClientFor, getServerOrThrow, recordAgentFailure } from './internal';

/**
 * health() proves an Ordo agent answers at the URL, info() proves it accepts the token; the
 * outcome is recorded on the server so the list shows it without pinging again.
 */
export async function pingServer(deps: ServerDeps, id: string): Promise<PingResult> {
  const server = await getServerOrThrow(deps.db, id);
  const client = agentClientFor(deps, server);
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    await client.health();
    const latencyMs = elapsed();
    const info = await client.info();
    await updateServer(deps.db, id, {
      status: 'active',
      agent_version: info.version,
      runtime: info.runtime,
      last_seen_at: deps.now?.() ?? new Date(),
      last_error: null,
      latency_ms: latencyMs,
    });
    return {
      ok: true,
      agentVersion: info.version,
      latencyMs,
      hostname: info.hostname,
      runtime: info.runtime,
    };
  } catch (error) {
    if (!(error instanceof AgentClientError)) throw error;
    const latencyMs = elapsed();
    await recordAgentFailure(deps, id, error);
    return { ok: false, failure: error.code, message: error.message, latencyMs };
  }
}
