import { router } from './init';
import { accountRouter } from './routers/account';
import { auditRouter } from './routers/audit';
import { authRouter } from './routers/auth';
import { backupsRouter } from './routers/backups';
import { instancesRouter } from './routers/instances';
import { jobsRouter } from './routers/jobs';
import { metricsRouter } from './routers/metrics';
import { reposRouter } from './routers/repos';
import { serversRouter } from './routers/servers';
import { settingsRouter } from './routers/settings';
import { usersRouter } from './routers/users';
import { versionsRouter } from './routers/versions';

export const appRouter = router({
  auth: authRouter,
  servers: serversRouter,
  instances: instancesRouter,
  versions: versionsRouter,
  jobs: jobsRouter,
  metrics: metricsRouter,
  users: usersRouter,
  account: accountRouter,
  settings: settingsRouter,
  audit: auditRouter,
  repos: reposRouter,
  backups: backupsRouter,
});

/** The panel imports this type only; it never loads the control plane's code. */
export type AppRouter = typeof appRouter;
