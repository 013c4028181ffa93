import { ServerScopedInput } from '@ordo/protocol/panel';
import { generateSshKey, getSshKey, testSshKey } from '../../features/enterprise';
import { protectedProcedure, router } from '../init';

// Each server has its own Enterprise key; managing it is a server matter (Maintainer).
const manage = protectedProcedure.meta({ permission: 'servers.manage', target: 'server' });

/** `settings.sshKey.*`: the Enterprise deploy key of one server. */
export const sshKeyRouter = router({
  get: manage
    .input(ServerScopedInput)
    .query(({ ctx, input }) => getSshKey(ctx.deps, input.serverId)),

  /** Replaces the key: the previous one stops working wherever it was added. */
  generate: manage
    .input(ServerScopedInput)
    .mutation(({ ctx, input }) => generateSshKey(ctx.deps, input.serverId)),

  /** A mutation although it changes nothing: it makes the agent connect out to GitHub. */
  test: manage
    .input(ServerScopedInput)
    .mutation(({ ctx, input }) => testSshKey(ctx.deps, input.serverId)),
});
