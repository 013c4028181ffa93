import { InstanceListInput } from '@ordo/protocol/panel';
import { listInstances } from '../../features/instances';
import { protectedProcedure, router } from '../init';

export const instancesRouter = router({
  list: protectedProcedure
    .input(InstanceListInput)
    .query(({ ctx, input }) => listInstances(ctx.deps, { serverId: input?.serverId })),
});
