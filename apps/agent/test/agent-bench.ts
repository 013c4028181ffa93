import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Job, JobLogEvent, OdooVersion } from '@ordo/protocol';
import { createAgentApp, type AgentConfig } from '../src';
import type { Logger } from '../src/logger';
import {
  buildStandaloneAgent,
  startAgentProcess,
  type AgentProcess,
} from './agent-process-support';
import { captureLogger, newToken, testConfig } from './helpers';
import {
  authed,
  createInstance,
  createPgRole,
  installVersion,
  jobEnd,
  jobLog,
  killOdoosUnder,
  testPortRange,
  type TestApp,
} from './instance-support';
import { odooRepoUrl } from './odoo-support';

/**
 * Everything a test needs to run real agent processes that can be killed and started again on
 * one root: a standalone build, a stand-in Odoo repository, a PostgreSQL role, a port block.
 */
export interface AgentBench {
  dir: string;
  root: string;
  /** Starts an agent process on the bench's root; `close()` kills every one still running. */
  agent(): Promise<AgentProcess>;
  /** Kills the agents (and what they started), drops the role, removes the files. */
  close(): Promise<void>;
}

export async function createAgentBench(
  prefix: string,
  options: { env?: Record<string, string>; beforeClose?: (root: string) => Promise<void> } = {},
): Promise<AgentBench> {
  const dir = await mkdtemp(join(tmpdir(), `${prefix}-`));
  const root = join(dir, 'root');
  const [buildDir, role, repoUrl] = await Promise.all([
    buildStandaloneAgent(),
    createPgRole(),
    odooRepoUrl(dir, ['17.0']),
  ]);
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ORDO_AGENT_TOKEN: newToken(),
    ORDO_AGENT_ROOT: root,
    ORDO_AGENT_PORT: '0',
    ORDO_ODOO_GIT_URL: repoUrl,
    ORDO_AGENT_PG_URL: role.url,
    ORDO_AGENT_PORT_RANGE: testPortRange().env,
    ...options.env,
  };
  const agents: AgentProcess[] = [];
  return {
    dir,
    root,
    async agent() {
      const started = await startAgentProcess(buildDir, env);
      agents.push(started);
      return started;
    },
    async close() {
      for (const started of agents) started.child.kill('SIGKILL');
      await killOdoosUnder(root);
      await options.beforeClose?.(root);
      await role.drop();
      await rm(dir, { recursive: true, force: true });
      await rm(buildDir, { recursive: true, force: true });
    },
  };
}

/** Follows a job's log to its end and answers the job as it finished. */
export async function finalJob(client: AgentProcess['client'], id: string): Promise<Job> {
  let end: JobLogEvent | undefined;
  for await (const event of client.followJobLog(id)) end = event;
  if (end?.type !== 'end') throw new Error('no end event');
  return end.job;
}

/**
 * An in-process agent app (no build, no process) on a fresh root that can install and run the
 * stand-in Odoo: a PostgreSQL role, a port block, its versions installed, its instances running.
 */
export interface AppBench {
  dir: string;
  root: string;
  config: AgentConfig;
  app: TestApp;
  /** The logger given to the app, readable by the test. */
  logs: ReturnType<typeof captureLogger>;
  /** A request to `app` with the agent token. */
  call(path: string, init?: RequestInit): Promise<Response>;
  /** Creates an instance through the real job; throws with the job log unless it succeeds. */
  createRunning(name: string, version?: OdooVersion): Promise<void>;
  /** Kills the Odoo processes under the root, drops the role, removes the files. */
  close(): Promise<void>;
}

export interface AppBenchOptions {
  /** Versions in the stand-in repository, each installed through the real job (17.0). */
  versions?: OdooVersion[];
  /** Settings over the bench's; a function when they need its folder (e.g. for an sshd). */
  config?: Partial<AgentConfig> | ((dir: string) => Promise<Partial<AgentConfig>>);
  /** Builds the app, e.g. with a runtime or a metrics sampler the test keeps hold of. */
  app?: (deps: { config: AgentConfig; logger: Logger }) => TestApp;
  /** Instances created, and running, once the versions are installed. */
  instances?: { name: string; version?: OdooVersion }[];
}

export async function createAppBench(
  prefix: string,
  options: AppBenchOptions = {},
): Promise<AppBench> {
  const dir = await mkdtemp(join(tmpdir(), `${prefix}-`));
  const root = join(dir, 'root');
  let dropRole = (): Promise<void> => Promise.resolve();
  const close = async () => {
    await killOdoosUnder(root);
    await dropRole();
    // Retries: a job may still be appending to its log (ENOTEMPTY).
    await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  };
  try {
    const versions = options.versions ?? ['17.0'];
    const role = await createPgRole();
    dropRole = role.drop;
    const range = testPortRange();
    const config: AgentConfig = {
      ...testConfig(root),
      odooGitUrl: await odooRepoUrl(dir, versions),
      pgUrl: role.url,
      portRange: { from: range.from, to: range.to },
      ...(typeof options.config === 'function' ? await options.config(dir) : options.config),
    };
    const logs = captureLogger();
    const app =
      options.app?.({ config, logger: logs.logger }) ??
      createAgentApp({ config, logger: logs.logger, startedAt: new Date() });
    const call = async (path: string, init: RequestInit = {}) =>
      app.request(path, authed(config.token, init));
    const createRunning = async (name: string, version: OdooVersion = '17.0') => {
      const accepted = await createInstance(app, config.token, { name, version });
      const job = await jobEnd(app, config.token, accepted.job.id, 180_000);
      if (job.state !== 'succeeded') {
        throw new Error(`${JSON.stringify(job.error)}\n${await jobLog(root, job.id)}`);
      }
    };
    for (const version of versions) await installVersion(app, config.token, version);
    for (const instance of options.instances ?? []) {
      await createRunning(instance.name, instance.version);
    }
    return { dir, root, config, app, logs, call, createRunning, close };
  } catch (error) {
    await close();
    throw error;
  }
}
