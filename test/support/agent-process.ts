import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Edition, InstanceType } from '@ordo/protocol';
import { builtArtefact } from './repo-paths';
import { startService } from './service-process';
import { createTempDir } from './temp-dir';
import { testPostgresUrl } from './test-database';

export interface AgentProcess {
  url: string;
  token: string;
  /** ORDO_AGENT_ROOT, a temporary directory removed by `stop()`. */
  root: string;
  output: () => string;
  stop: () => Promise<void>;
}

export interface AgentOptions {
  /** More agent settings (e.g. ORDO_ODOO_GIT_URL); they override the defaults below. */
  env?: Record<string, string>;
}

/** Starts the built agent on a free loopback port with a fresh root and a random token. */
export async function startAgentProcess(options: AgentOptions = {}): Promise<AgentProcess> {
  const entry = builtArtefact('agent');
  const root = await createTempDir('ordo-e2e-agent');
  const token = randomBytes(32).toString('hex');
  try {
    const service = await startService({
      name: 'the agent',
      entry,
      readyMessage: 'agent listening',
      env: {
        ORDO_AGENT_HOST: '127.0.0.1',
        ORDO_AGENT_PORT: '0',
        ORDO_AGENT_TOKEN: token,
        ORDO_AGENT_ROOT: root.path,
        ORDO_AGENT_PG_URL: testPostgresUrl(),
        ...options.env,
      },
    });
    return {
      url: service.url,
      token,
      root: root.path,
      output: service.output,
      stop: async () => {
        await service.stop();
        await root.remove();
      },
    };
  } catch (error) {
    await root.remove();
    throw error;
  }
}

export interface InstanceRecordFixture {
  name: string;
  version: string;
  edition: Edition;
  type: InstanceType;
  database: string;
  httpPort: number | null;
}

/** Writes `<root>/instances/<name>/instance.json` the way the agent records an instance. */
export async function writeInstanceRecord(
  root: string,
  record: InstanceRecordFixture,
): Promise<void> {
  const dir = join(root, 'instances', record.name);
  await mkdir(dir, { recursive: true });
  const content = { ...record, parent: null, url: null, createdAt: new Date().toISOString() };
  await writeFile(join(dir, 'instance.json'), `${JSON.stringify(content, null, 2)}\n`);
}
