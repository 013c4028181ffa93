import {
  type FleetSample,
  MetricsInstanceInput,
  MetricsLiveInput,
  MetricsServerInput,
} from '@ordo/protocol/panel';
import { fleetMetrics, instanceMetrics, liveSamples, serverMetrics } from '../../features/metrics';
import { getServerOrThrow } from '../../features/servers/internal';
import { protectedProcedure, router } from '../init';

export const metricsRouter = router({
  server: protectedProcedure
    .meta({ permission: 'fleet.read', target: 'server' })
    .input(MetricsServerInput)
    .query(({ ctx, input }) => serverMetrics(ctx.deps.db, input)),

  instance: protectedProcedure
    .meta({ permission: 'fleet.read', target: 'server' })
    .input(MetricsInstanceInput)
    .query(({ ctx, input }) => instanceMetrics(ctx.deps.db, input)),

  // Not a `list` target: the answer is no array; the procedure cuts it to a limited account's server.
  fleet: protectedProcedure
    .meta({ permission: 'fleet.read', target: 'none' })
    .query(({ ctx }) => fleetMetrics(ctx.deps.db, ctx.user.serverId)),

  /** Every sample stored from now on (of one server, or all), over SSE. */
  live: protectedProcedure
    .meta({ permission: 'fleet.read', target: 'server' })
    .input(MetricsLiveInput)
    .subscription(async function* ({ ctx, input, signal }): AsyncGenerator<FleetSample> {
      // An account limited to one server only ever hears about that one.
      const serverId = input.serverId ?? ctx.user.serverId ?? undefined;
      if (serverId !== undefined) await getServerOrThrow(ctx.deps.db, serverId);
      yield* liveSamples(ctx.deps.db, { serverId, signal });
    }),
});
