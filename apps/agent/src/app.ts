import { hostname } from 'node:os';
import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import type { Logger } from 'pino';
import { createAgentJobRunner } from './agent-jobs';
import type { AgentEnv } from './app-env';
import type { AgentConfig, Environment } from './config';
import type { InstanceDeps } from './instances/instance-deps';
import { resolveStatusWithRuntime, type ResolveStatus } from './instances/resolve-status';
import { accessLog } from './middleware/access-log';
import { addonsRoutes } from './routes/addons';
import { backupRoutes } from './routes/backups';
import { maxUploadBytes } from './restore/receive-upload';
import { DEFAULT_ZIP_LIMITS, type ZipLimits } from './zip/zip-limits';
import { bearerAuth } from './middleware/bearer-auth';
import { errorHandler, notFoundHandler } from './middleware/error-handler';
import { healthRoutes } from './routes/health';
import { infoRoutes } from './routes/info';
import type { JobRunner } from './jobs/job-runner';
import { instanceRoutes } from './routes/instances';
import { jobRoutes } from './routes/jobs';
import { loginLinkRoutes } from './routes/login-links';
import type { MetricsSource } from './metrics/metrics-sampler';
import { metricsRoutes } from './routes/metrics';
import { repoRoutes } from './routes/repos';
import { pgTarget } from './postgres/pg-target';
import { createRuntime } from './runtime/create-runtime';
import { KeyedMutex } from './runtime/keyed-mutex';
import type { InstanceRuntime } from './runtime/runtime';
import { versionRoutes } from './routes/versions';
import { enterpriseRoutes } from './routes/enterprise';
import { sshKeyRoutes } from './routes/ssh-key';
import type { SshKeyDeps } from './ssh-key/ssh-key-deps';
import { AGENT_VERSION } from './version';

export interface AgentAppDeps {
  config: AgentConfig;
  logger: Logger;
  /** When this agent process started, for `agentUptimeSeconds`. */
  startedAt: Date;
  now?: () => Date;
  /** How instance statuses are found; default: asking the runtime. */
  resolveStatus?: ResolveStatus;
  /** Runs instances; default: the one `config.runtime` names. */
  runtime?: InstanceRuntime;
  /** How long a start waits for Odoo to answer (default 60 s). */
  instanceStartTimeoutMs?: number;
  /** Where to read the distribution name; tests point it at a fixture. */
  osReleasePath?: string;
  /** Runs jobs; `startAgent` passes one that has recovered interrupted jobs first. */
  jobs?: JobRunner;
  /** Environment for programs the agent runs (PATH, HOME, PYENV_ROOT); default process.env. */
  env?: Environment;
  /** Upload size limit; default ORDO_AGENT_MAX_UPLOAD_BYTES or 20 GiB. */
  maxUploadBytes?: number;
  /** Bounds on uploaded archives (entries, inflated bytes). */
  zipLimits?: ZipLimits;
  /** The sampler `startAgent` runs; without it the metrics routes answer 503. */
  metrics?: MetricsSource;
}

function isPublic(method: string, path: string): boolean {
  return (method === 'GET' || method === 'HEAD') && path === '/v1/health';
}

/** The agent's HTTP API as a Hono app; `startAgent` serves it, tests call `app.request()`. */
export function createAgentApp(deps: AgentAppDeps): Hono<AgentEnv> {
  const { config, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const jobs = deps.jobs ?? createAgentJobRunner({ root: config.root, logger, now });
  const env = deps.env ?? process.env;
  const runtime =
    deps.runtime ??
    createRuntime(config.runtime, {
      logger,
      env,
      docker: { root: config.root, socket: config.dockerSocket, image: config.dockerImage },
    });
  const instances: InstanceDeps = {
    root: config.root,
    pg: pgTarget(config.pgUrl),
    instanceHost: config.instanceHost,
    publicHost: config.publicHost,
    portRange: config.portRange,
    dbPrefix: config.dbPrefix,
    runtime,
    runner: jobs,
    resolveStatus: deps.resolveStatus ?? resolveStatusWithRuntime(config.root, runtime),
    logger,
    env,
    now,
    locks: new KeyedMutex(),
    healthTimeoutMs: deps.instanceStartTimeoutMs ?? 60_000,
  };
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
      now,
      ...(deps.osReleasePath === undefined ? {} : { osReleasePath: deps.osReleasePath }),
    }),
  );
  app.route('/', instanceRoutes(instances));
  const uploadLimits = {
    maxUploadBytes: deps.maxUploadBytes ?? maxUploadBytes(env),
    zip: deps.zipLimits ?? DEFAULT_ZIP_LIMITS,
  };
  app.route('/', backupRoutes(instances, uploadLimits));
  app.route('/', addonsRoutes(instances, uploadLimits));
  app.route('/', repoRoutes(instances));
  app.route('/', loginLinkRoutes(instances));
  app.route('/', jobRoutes({ runner: jobs, logger }));
  app.route('/', metricsRoutes({ root: config.root, metrics: deps.metrics }));
  app.route(
    '/',
    versionRoutes({
      runner: jobs,
      logger,
      root: config.root,
      odooGitUrl: config.odooGitUrl,
      python: config.python,
      env,
      now,
    }),
  );
  const sshKey: SshKeyDeps = {
    root: config.root,
    logger,
    env,
    hostname: hostname(),
    testTarget: config.enterpriseSshTestTarget,
    locks: new KeyedMutex(),
  };
  app.route('/', sshKeyRoutes(sshKey));
  app.route(
    '/',
    enterpriseRoutes({ instances, sshKey, enterpriseGitUrl: config.enterpriseGitUrl }),
  );
  return app;
}
