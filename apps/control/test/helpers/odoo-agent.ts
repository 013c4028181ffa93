import { randomBytes, randomInt } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadAgentConfig, startAgent } from '@ordo/agent';
import { type AgentClient, createAgentClient } from '@ordo/protocol';
import { createOdooBareRepo } from '../../../../test/fixtures/odoo/make-odoo-repo.mjs';
import { adminQuery, adminRows, quoteIdent, TEST_PG_URL } from './pg-admin';

export interface OdooTestAgent {
  url: string;
  token: string;
  root: string;
  /** A client of the agent itself, to compare what the control plane mirrors with the source. */
  client: AgentClient;
  /** Stops answering (its Odoo processes keep running), as an agent that went down. */
  stop(): Promise<void>;
  /** Starts it again on the same address and root (it re-adopts its instances). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface OdooTestAgentOptions {
  versions?: string[];
  /** Extra environment for the programs the agent runs (e.g. PATH with a slow git). */
  env?: Record<string, string>;
  /** Extra agent settings by variable name (e.g. ORDO_ENTERPRISE_GIT_URL). */
  settings?: Record<string, string>;
}

/**
 * A real agent that can install Odoo versions (from a local bare repository of the stand-in
 * Odoo) and run instances (as a PostgreSQL role of its own with LOGIN CREATEDB: Odoo refuses
 * `postgres`). Closing deletes its instances, then drops the role's databases and the role.
 */
export async function startOdooTestAgent(
  options: OdooTestAgentOptions = {},
): Promise<OdooTestAgent> {
  const dir = await mkdtemp(join(tmpdir(), 'ordo-control-odoo-agent-'));
  const repo = await createOdooBareRepo(dir, { versions: options.versions ?? ['17.0'] });
  const role = `ordo_agent_${randomBytes(5).toString('hex')}`;
  await adminQuery(`CREATE ROLE ${quoteIdent(role)} LOGIN CREATEDB`);
  const pgUrl = new URL(TEST_PG_URL);
  pgUrl.username = role;
  pgUrl.password = '';
  // A range of its own, so agents of test files running in parallel never race for a port.
  const from = randomInt(20_000, 60_000);
  const token = randomBytes(32).toString('hex');
  const root = join(dir, 'root');
  const agentSettings: Record<string, string> = {
    ORDO_AGENT_HOST: '127.0.0.1',
    ORDO_AGENT_PORT: '0',
    ORDO_AGENT_ROOT: root,
    ORDO_AGENT_TOKEN: token,
    ORDO_AGENT_LOG_LEVEL: 'silent',
    ORDO_ODOO_GIT_URL: pathToFileURL(repo).href,
    ORDO_AGENT_PG_URL: pgUrl.toString(),
    ORDO_AGENT_PUBLIC_HOST: '127.0.0.1',
    ORDO_AGENT_PORT_RANGE: `${from}-${from + 40}`,
    // Database names are cluster-wide: other test files create instances of the same name.
    ORDO_AGENT_DB_PREFIX: `c${randomBytes(3).toString('hex')}_`,
    ...options.settings,
  };
  const agentEnv = { ...process.env, ...options.env };
  let agent = await startAgent(loadAgentConfig(agentSettings), { env: agentEnv });
  let running = true;
  const client = createAgentClient({ baseUrl: agent.url, token });
  const restart = async () => {
    if (running) return;
    const port = new URL(agent.url).port;
    agent = await startAgent(loadAgentConfig({ ...agentSettings, ORDO_AGENT_PORT: port }), {
      env: agentEnv,
    });
    running = true;
  };
  return {
    url: agent.url,
    token,
    root,
    client,
    async stop() {
      if (!running) return;
      running = false;
      await agent.close();
    },
    restart,
    async close() {
      await restart();
      // Odoo processes outlive the agent by design (it re-adopts them): delete them first.
      const { instances } = await client.listInstances().catch(() => ({ instances: [] }));
      for (const instance of instances) {
        await client.deleteInstance(instance.name).catch(() => undefined);
      }
      await agent.close();
      const databases = await adminRows<{ datname: string }>(
        'SELECT d.datname FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba WHERE r.rolname = $1',
        [role],
      );
      for (const { datname } of databases) {
        await adminQuery(`DROP DATABASE IF EXISTS ${quoteIdent(datname)} WITH (FORCE)`);
      }
      await adminQuery(`DROP ROLE IF EXISTS ${quoteIdent(role)}`);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A `bin` directory whose `git <command>` sleeps `seconds` before running the real one, first
 * on the agent's PATH: `clone` keeps a version install in its clone step (its log already
 * started); `fetch` keeps every pull in flight long enough for a burst of pushes to arrive.
 */
export async function slowGitBin(
  dir: string,
  seconds: number,
  command: 'clone' | 'fetch' = 'clone',
): Promise<string> {
  const bin = join(dir, `slow-${command}-bin`);
  await mkdir(bin, { recursive: true });
  const realPath = (process.env.PATH ?? '')
    .split(':')
    .filter((entry) => entry !== bin)
    .join(':');
  const script = join(bin, 'git');
  // Any argument, not only the first: pulls run `git -C <checkout> fetch …`.
  await writeFile(
    script,
    `#!/bin/sh\nfor arg in "$@"; do if [ "$arg" = ${command} ]; then sleep ${seconds}; break; fi; done\nPATH='${realPath}' exec git "$@"\n`,
  );
  await chmod(script, 0o755);
  return bin;
}

/** Polls `check` until it returns something other than undefined/false. */
export async function waitFor<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
