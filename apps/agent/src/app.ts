import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import type { Logger } from 'pino';
import type { AgentEnv } from './app-env';
import type { AgentConfig } from './config';
import { resolveStatusWithoutRuntime, type ResolveStatus } from './instances/resolve-status';
import { accessLog } from './middleware/access-log';
import { bearerAuth } from './middleware/bearer-auth';
import { errorHandler, notFoundHandler } from './middleware/error-handler';
import { healthRoutes } from './routes/health';
import { infoRoutes } from './routes/info';
import { instanceRoutes } from './routes/instances';
import { AGENT_VERSION } from './version';

export interface AgentAppDeps {
  config: AgentConfig;
  logger: Logger;
  /** When this agent process started, for `agentUptimeSeconds`. */
  startedAt: Date;
  now?: () => Date;
  /** Replaced by the runtime once instances can run. */
  resolveStatus?: ResolveStatus;
  /** Where to read the distribution name; tests point it at a fixture. */
  osReleasePath?: string;
}

function isPublic(method: string, path: string): boolean {
  return (method === 'GET' || method === 'HEAD') && path === '/v1/health';
}

/** The agent's HTTP API as a Hono app; `startAgent` serves it, tests call `app.request()`. */
export function createAgentApp(deps: AgentAppDeps): Hono<AgentEnv> {
  const { config, logger } = deps;
  const app = new Hono<AgentEnv>();

  app.use(requestId());
  app.use(accessLog(logger));
  app.use(bearerAuth({ token: config.token, isPublic }));
  app.onError(errorHandler(logger));
  app.notFound(notFoundHandler);

  app.route('/', healthRoutes({ version: AGENT_VERSION }));
  app.route(
    '/',
    infoRoutes({
      version: AGENT_VERSION,
      runtime: config.runtime,
      startedAt: deps.startedAt,
      now: deps.now ?? (() => new Date()),
      ...(deps.osReleasePath === undefined ? {} : { osReleasePath: deps.osReleasePath }),
    }),
  );
  app.route(
    '/',
    instanceRoutes({
      root: config.root,
      logger,
      resolveStatus: deps.resolveStatus ?? resolveStatusWithoutRuntime,
    }),
  );
  return app;
}
