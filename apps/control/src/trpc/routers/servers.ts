import {
  MigrateInput,
  MigrationIdInput,
  ServerCreateInput,
  ServerIdInput,
  ServerUpdateInput,
} from '@ordo/protocol/panel';
import { getMigration, startMigration } from '../../features/migrations';
import {
  createServer,
  listServers,
  pingServer,
  removeServer,
  syncServer,
  updateServerSettings,
} from '../../features/servers';
import { protectedProcedure, router } from '../init';

/** Acts on the server named by `input.id`. */
const manageOne = protectedProcedure.meta({ permission: 'servers.manage', target: 'server-id' });

export const serversRouter = router({
  list: protectedProcedure
    .meta({ permission: 'fleet.read', target: 'server-list' })
    .query(({ ctx }) => listServers(ctx.deps)),

  create: protectedProcedure
    .meta({ permission: 'servers.manage', target: 'fleet' })
    .input(ServerCreateInput)
    .mutation(({ ctx, input }) => createServer(ctx.deps, input)),

  update: manageOne
    .input(ServerUpdateInput)
    .mutation(({ ctx, input }) => updateServerSettings(ctx.deps, input)),

  remove: manageOne.input(ServerIdInput).mutation(async ({ ctx, input }) => {
    await removeServer(ctx.deps, input.id);
    return { ok: true as const };
  }),

  ping: manageOne.input(ServerIdInput).mutation(({ ctx, input }) => pingServer(ctx.deps, input.id)),

  sync: manageOne.input(ServerIdInput).mutation(({ ctx, input }) => syncServer(ctx.deps, input.id)),

  /** Moves instances to another server ("Migrate local server"); a `migrate` job. */
  migrate: protectedProcedure
    .meta({ permission: 'servers.manage', target: 'fleet' })
    .input(MigrateInput)
    .mutation(({ ctx, input }) => startMigration(ctx.deps, input, ctx.user)),

  /** A migration's job and the state of each of its instances. */
  migration: protectedProcedure
    .meta({ permission: 'fleet.read', target: 'job' })
    .input(MigrationIdInput)
    .query(({ ctx, input }) => getMigration(ctx.deps, input.id)),
});
