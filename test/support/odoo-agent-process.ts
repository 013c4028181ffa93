import { randomBytes, randomInt } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { createOdooBareRepo } from '../fixtures/odoo/make-odoo-repo.mjs';
import { startAgentProcess, type AgentProcess } from './agent-process';
import { createOdooRole } from './odoo-role';
import { createTempDir } from './temp-dir';

/**
 * A built agent that can install and run the stand-in Odoo: versions cloned from a local bare
 * repository, a PostgreSQL role of its own (Odoo refuses `postgres`), its own database prefix
 * (database names are cluster-wide) and its own block of ports (parallel runs never collide).
 * `stop()` stops the agent first, so no instance still holds the role's databases, then drops
 * them with the role and removes the repository.
 */
export async function startOdooAgentProcess(
  options: { versions?: string[]; env?: Record<string, string> } = {},
): Promise<AgentProcess> {
  const repoDir = await createTempDir('ordo-e2e-odoo-repo');
  const role = await createOdooRole();
  const cleanUp = async () => {
    await role.drop();
    await repoDir.remove();
  };
  try {
    const repo = await createOdooBareRepo(repoDir.path, { versions: options.versions ?? ['17.0'] });
    const firstPort = 20_000 + randomInt(400) * 100;
    const agent = await startAgentProcess({
      env: {
        ORDO_ODOO_GIT_URL: pathToFileURL(repo).href,
        ORDO_AGENT_PG_URL: role.url,
        ORDO_AGENT_DB_PREFIX: `e${randomBytes(3).toString('hex')}_`,
        ORDO_AGENT_PUBLIC_HOST: '127.0.0.1',
        ORDO_AGENT_PORT_RANGE: `${firstPort}-${firstPort + 99}`,
        ...options.env,
      },
    });
    return {
      ...agent,
      stop: async () => {
        await agent.stop();
        await cleanUp();
      },
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}
