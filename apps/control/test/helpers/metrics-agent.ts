import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import { createAgentApp, createLogger, loadAgentConfig } from '@ordo/agent';
import type { MetricsSnapshot } from '@ordo/protocol';

export interface MetricsAgent {
  url: string;
  token: string;
  /** `GET /v1/metrics` requests served so far. */
  polls(): number;
  close(): Promise<void>;
}

export function stubSnapshot(): MetricsSnapshot {
  return {
    collectedAt: new Date().toISOString(),
    server: {
      cpuPercent: 12.5,
      cores: 2,
      memoryUsedBytes: 1e9,
      memoryTotalBytes: 4e9,
      diskUsedBytes: 1e10,
      diskTotalBytes: 5e10,
      load: [0.5, 0.4, 0.3],
      uptimeSeconds: 1000,
      networkRxBytes: 10,
      networkTxBytes: 20,
    },
    instances: [],
  };
}

/** The real agent app with a fixed sample instead of the sampler, counting metrics polls. */
export async function startMetricsAgent(): Promise<MetricsAgent> {
  const root = await mkdtemp(join(tmpdir(), 'ordo-metrics-agent-'));
  const token = randomBytes(32).toString('hex');
  const config = loadAgentConfig({
    ORDO_AGENT_ROOT: root,
    ORDO_AGENT_TOKEN: token,
    ORDO_AGENT_PORT: '0',
  });
  const app = createAgentApp({
    config,
    logger: createLogger('silent'),
    startedAt: new Date(),
    metrics: { latest: () => ({ ...stubSnapshot(), collectedAt: new Date().toISOString() }) },
  });
  let count = 0;
  const server = createAdaptorServer({
    fetch: (request: Request) => {
      if (new URL(request.url).pathname === '/v1/metrics') count += 1;
      return app.fetch(request);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('agent not on TCP');
  return {
    url: `http://127.0.0.1:${address.port}`,
    token,
    polls: () => count,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(root, { recursive: true, force: true });
    },
  };
}
