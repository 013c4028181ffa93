import { mkdir } from 'node:fs/promises';
import { createAdaptorServer } from '@hono/node-server';
import type { Logger } from 'pino';
import { createAgentJobRunner } from './agent-jobs';
import { createAgentApp } from './app';
import { type AgentConfig, ConfigError, type Environment } from './config';
import { registerInstanceJobs } from './instances/instance-jobs';
import { recoverInstances } from './instances/recover-instances';
import { createLogger } from './logger';
import { createMetricsSampler, DEFAULT_METRICS_INTERVAL_MS } from './metrics/metrics-sampler';
import { pgTarget } from './postgres/pg-target';
import { createRuntime } from './runtime/create-runtime';

export interface RunningAgent {
  /** Where to reach the agent, e.g. `http://127.0.0.1:41234` (loopback when bound to all). */
  url: string;
  port: number;
  /**
   * Stops running jobs (they end failed, `agent_stopped`), stops accepting connections and
   * resolves once in-flight requests are done. Calling it again returns the same promise.
   */
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
  options: { logger?: Logger; env?: Environment; metricsIntervalMs?: number } = {},
): Promise<RunningAgent> {
  const logger = options.logger ?? createLogger(config.logLevel);
  await mkdir(config.root, { recursive: true });

  const env = options.env ?? process.env;
  const metricsIntervalMs = options.metricsIntervalMs ?? metricsInterval(env);
  const runtime = createRuntime(config.runtime, {
    logger,
    env,
    docker: { root: config.root, socket: config.dockerSocket, image: config.dockerImage },
  });
  const pg = pgTarget(config.pgUrl);
  const jobs = createAgentJobRunner({ root: config.root, logger, pg });
  registerInstanceJobs(jobs, { root: config.root, pg, runtime, logger });
  const recovered = await jobs.recoverInterruptedJobs();
  if (recovered.length > 0) {
    logger.warn({ jobs: recovered.map((job) => job.id) }, 'failed jobs interrupted by a restart');
  }
  // Before serving: instances that run are adopted, those that should run are started.
  await recoverInstances({ root: config.root, pg, runtime, runner: jobs, logger });

  const metrics = createMetricsSampler({
    root: config.root,
    pg,
    runtime,
    instanceHost: config.instanceHost,
    logger,
    intervalMs: metricsIntervalMs,
  });
  // The first sample before serving, so /v1/metrics answers from the first request on.
  await metrics.sample();
  metrics.start();

  const app = createAgentApp({
    config,
    logger,
    startedAt: new Date(),
    jobs,
    runtime,
    env,
    metrics,
  });
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

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    close: () => {
      closing ??= (async () => {
        // Ending the jobs also ends the log streams that follow them.
        await metrics.stop();
        await jobs.shutdown();
        // Instances keep running; the next agent process adopts them.
        await runtime.close();
        await new Promise<void>((resolve, reject) => {
          server.close((error) => (error ? reject(error) : resolve()));
        });
      })();
      return closing;
    },
  };
}

function connectableHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/** ORDO_AGENT_METRICS_INTERVAL_MS: how often the agent samples (default 5000, at least 500). */
export function metricsInterval(env: Environment): number {
  const raw = env.ORDO_AGENT_METRICS_INTERVAL_MS;
  if (raw === undefined || raw === '') return DEFAULT_METRICS_INTERVAL_MS;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 500 || value > 3_600_000) {
    throw new ConfigError([
      {
        setting: 'ORDO_AGENT_METRICS_INTERVAL_MS',
        message: 'must be a whole number of milliseconds between 500 and 3600000',
      },
    ]);
  }
  return value;
}
