import { router } from './init';
import { authRouter } from './routers/auth';
import { instancesRouter } from './routers/instances';
import { serversRouter } from './routers/servers';

export const appRouter = router({
  auth: authRouter,
  servers: serversRouter,
  instances: instancesRouter,
});

/** The panel imports this type only; it never loads the control plane's code. */
export type AppRouter = typeof appRouter;
