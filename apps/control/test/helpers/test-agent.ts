import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAgentConfig, startAgent } from '@ordo/agent';
import type { Edition, InstanceType } from '@ordo/protocol';

export interface TestAgent {
  url: string;
  token: string;
  root: string;
  close(): Promise<void>;
}

/** A real Ordo agent on a random port over a temporary root. */
export async function startTestAgent(): Promise<TestAgent> {
  const root = await mkdtemp(join(tmpdir(), 'ordo-control-agent-'));
  const token = randomBytes(32).toString('hex');
  const agent = await startAgent(
    loadAgentConfig({
      ORDO_AGENT_HOST: '127.0.0.1',
      ORDO_AGENT_PORT: '0',
      ORDO_AGENT_ROOT: root,
      ORDO_AGENT_TOKEN: token,
      ORDO_AGENT_LOG_LEVEL: 'silent',
    }),
  );
  return {
    url: agent.url,
    token,
    root,
    async close() {
      await agent.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

export interface InstanceRecordFixture {
  name: string;
  version: string;
  edition: Edition;
  type: InstanceType;
  parent: string | null;
  database: string;
  httpPort: number | null;
  url: string | null;
}

/** Writes `<root>/instances/<name>/instance.json` the way the agent records an instance. */
export async function writeInstanceRecord(
  root: string,
  record: Partial<InstanceRecordFixture> & { name: string },
): Promise<void> {
  const dir = join(root, 'instances', record.name);
  await mkdir(dir, { recursive: true });
  const full: InstanceRecordFixture & { createdAt: string } = {
    version: '17.0',
    edition: 'community',
    type: 'production',
    parent: null,
    database: record.name,
    httpPort: 8069,
    url: null,
    ...record,
    createdAt: new Date().toISOString(),
  };
  await writeFile(join(dir, 'instance.json'), JSON.stringify(full, null, 2));
}

export async function removeInstanceRecord(root: string, name: string): Promise<void> {
  await rm(join(root, 'instances', name), { recursive: true, force: true });
}
