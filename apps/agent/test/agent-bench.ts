import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Job, JobLogEvent } from '@ordo/protocol';
import {
  buildStandaloneAgent,
  startAgentProcess,
  type AgentProcess,
} from './agent-process-support';
import { newToken } from './helpers';
import { createPgRole, killOdoosUnder, testPortRange } from './instance-support';
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
