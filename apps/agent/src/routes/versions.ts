import { InstallVersionInput, type JobAccepted, type VersionList } from '@ordo/protocol';
import { Hono } from 'hono';
import type { Logger } from 'pino';
import type { AgentEnv } from '../app-env';
import { listInstalledVersions } from '../versions/list-versions';
import {
  startVersionInstall,
  type StartVersionInstallDeps,
} from '../versions/start-version-install';
import { requestedBy } from './requested-by';
import { jsonBody, parseInput } from './validate';

export interface VersionRouteDeps extends StartVersionInstallDeps {
  logger: Logger;
}

export function versionRoutes(deps: VersionRouteDeps) {
  return new Hono<AgentEnv>()
    .get('/v1/versions', async (c) => {
      const body: VersionList = {
        versions: await listInstalledVersions(deps),
        installing: deps.runner
          .activeJobs()
          .filter((job) => job.kind === 'version.install')
          .map((job) => job.target)
          .sort(),
      };
      return c.json(body);
    })
    .post('/v1/versions', async (c) => {
      const input = parseInput(InstallVersionInput, await jsonBody(c), 'body');
      const body: JobAccepted = { job: await startVersionInstall(deps, input, requestedBy(c)) };
      return c.json(body, 202);
    });
}
