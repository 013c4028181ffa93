import type { OdooVersion } from '@ordo/protocol';
import type {
  CreateInstancePanelInput,
  CreateInstanceResult,
  JobLogEvent,
  ServerView,
} from '@ordo/protocol/panel';
import { expect } from 'vitest';
import { collectJobLog } from './job-log';
import type { TestClient } from './test-control';

/** Adds a running agent as a server through tRPC, as an admin does on the Servers page. */
export function addServer(
  client: TestClient,
  agent: { url: string; token: string },
  name = 'odoo1',
): Promise<ServerView> {
  return client.trpc.servers.create.mutate({ name, agentUrl: agent.url, token: agent.token });
}

/** Follows a mirrored job's log like the panel, up to its end, which must be a success. */
export async function expectJobSucceeds(client: TestClient, id: string): Promise<JobLogEvent[]> {
  const events = await collectJobLog(client.trpc, { id });
  expect(events.at(-1)).toMatchObject({ type: 'end', job: { state: 'succeeded' } });
  return events;
}

/** Installs a community version on the server through its job. */
export async function installVersion(
  client: TestClient,
  serverId: string,
  version: OdooVersion = '17.0',
): Promise<void> {
  const job = await client.trpc.versions.install.mutate({
    serverId,
    version,
    edition: 'community',
  });
  await expectJobSucceeds(client, job.id);
}

/** Creates an instance (17.0 unless said) and waits until its job has it running. */
export async function createInstance(
  client: TestClient,
  input: Omit<CreateInstancePanelInput, 'version'> & {
    version?: CreateInstancePanelInput['version'];
  },
): Promise<CreateInstanceResult> {
  const created = await client.trpc.instances.create.mutate({ version: '17.0', ...input });
  await expectJobSucceeds(client, created.job.id);
  return created;
}
