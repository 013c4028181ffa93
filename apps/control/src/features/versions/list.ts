import { SUPPORTED_ODOO_VERSIONS } from '@ordo/protocol';
import type { VersionListView } from '@ordo/protocol/panel';
import type { JobDeps } from '../jobs/deps';
import { listActiveJobs } from '../jobs/list';
import { callServerAgent } from '../servers/call-agent';

/** Installed versions from the agent, with the mirrored install jobs still running. */
export async function listVersions(deps: JobDeps, serverId: string): Promise<VersionListView> {
  const { versions, installing } = await callServerAgent(deps, serverId, (client) =>
    client.listVersions(),
  );
  return {
    versions,
    installing,
    supported: [...SUPPORTED_ODOO_VERSIONS],
    activeJobs: await listActiveJobs(deps, { serverId, kind: 'version.install' }),
    upgradeJobs: await listActiveJobs(deps, { serverId, kind: 'version.enterprise_upgrade' }),
  };
}
