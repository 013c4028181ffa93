import { mkdir } from 'node:fs/promises';
import { createAdaptorServer } from '@hono/node-server';
import type { Logger } from 'pino';
import { createAgentApp } from './app';
import type { AgentConfig } from './config';
import { createLogger } from './logger';

export interface RunningAgent {
  /** Where to reach the agent, e.g. `http://127.0.0.1:41234` (loopback when bound to all). */
  url: string;
  port: number;
  /** Stops accepting connections and resolves once in-flight requests are done. */
  close(): Promise<void>;
}

/** Thrown when the agent cannot listen; the message says what to change. */
export class AgentStartError extends Error {
  override readonly name = 'AgentStartError';
  readonly code = 'listen_failed';
}

/** Serves the agent API on `config.host:config.port` (port 0 picks a free port). */
export async function startAgent(
  config: AgentConfig,
  options: { logger?: Logger } = {},
): Promise<RunningAgent> {
  const logger = options.logger ?? createLogger(config.logLevel);
  await mkdir(config.root, { recursive: true });

  const app = createAgentApp({ config, logger, startedAt: new Date() });
  const server = createAdaptorServer({ fetch: app.fetch });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        new AgentStartError(
          `Cannot listen on ${config.host}:${config.port} (${error.code ?? error.message}): ` +
            'set ORDO_AGENT_HOST/ORDO_AGENT_PORT to a free local address',
          { cause: error },
        ),
      );
    };
    server.once('error', onError);
    server.listen(config.port, config.host, () => {
      server.off('error', onError);
      resolve();
    });
  });

  const address = server.address();
  if (address === null || typeof address === 'string') {
    throw new AgentStartError(`Listening on ${config.host}:${config.port} gave no TCP port`);
  }
  const port = address.port;
  const url = `http://${connectableHost(config.host)}:${port}`;
  logger.info({ url, root: config.root, runtime: config.runtime }, 'agent listening');

  return {
    url,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function connectableHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
