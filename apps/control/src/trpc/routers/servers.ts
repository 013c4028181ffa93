import { ServerCreateInput, ServerIdInput, ServerUpdateInput } from '@ordo/protocol/panel';
import {
  createServer,
  listServers,
  pingServer,
  removeServer,
  syncServer,
  updateServerSettings,
} from '../../features/servers';
import { protectedProcedure, router } from '../init';

export const serversRouter = router({
  list: protectedProcedure.query(({ ctx }) => listServers(ctx.deps)),

  create: protectedProcedure
    .input(ServerCreateInput)
    .mutation(({ ctx, input }) => createServer(ctx.deps, input)),

  update: protectedProcedure
    .input(ServerUpdateInput)
    .mutation(({ ctx, input }) => updateServerSettings(ctx.deps, input)),

  remove: protectedProcedure.input(ServerIdInput).mutation(async ({ ctx, input }) => {
    await removeServer(ctx.deps, input.id);
    return { ok: true as const };
  }),

  ping: protectedProcedure
    .input(ServerIdInput)
    .mutation(({ ctx, input }) => pingServer(ctx.deps, input.id)),

  sync: protectedProcedure
    .input(ServerIdInput)
    .mutation(({ ctx, input }) => syncServer(ctx.deps, input.id)),
});
