import {
  CheckNameInput,
  CloneInstancePanelInput,
  CreateInstancePanelInput,
  InstanceConfigPanelUpdate,
  InstanceListInput,
  InstanceLogsPanelInput,
  InstanceRef,
  RevealSecretInput,
} from '@ordo/protocol/panel';
import {
  checkInstanceName,
  cloneInstance,
  createInstance,
  getInstanceConfig,
  listInstances,
  readInstanceLogs,
  removeInstance,
  revealInstanceSecret,
  runInstanceAction,
  updateInstanceConfig,
} from '../../features/instances';
import { protectedProcedure, router } from '../init';
import { connectAsProcedures } from './connect-as';
import { requesterOf } from './requester';

export const instancesRouter = router({
  list: protectedProcedure
    .meta({ permission: 'fleet.read', target: 'list' })
    .input(InstanceListInput)
    .query(({ ctx, input }) => listInstances(ctx.deps, { serverId: input?.serverId })),

  checkName: protectedProcedure
    .meta({ permission: 'fleet.read', target: 'server' })
    .input(CheckNameInput)
    .query(({ ctx, input }) => checkInstanceName(ctx.deps, input.serverId, input.name)),

  create: protectedProcedure
    .meta({ permission: 'instances.operate', target: 'instance' })
    .input(CreateInstancePanelInput)
    .mutation(({ ctx, input }) => createInstance(ctx.deps, input, requesterOf(ctx.user))),

  // Needs the production permission whatever the staging one allows: the staging copy holds
  // production's data (customers, invoices, user password hashes), so whoever makes it must be
  // trusted with production; a Developer may then operate the staging instance it becomes.
  clone: protectedProcedure
    .meta({ permission: 'instances.production.operate', target: 'instance' })
    .input(CloneInstancePanelInput)
    .mutation(({ ctx, input }) => cloneInstance(ctx.deps, input, requesterOf(ctx.user))),

  revealSecret: protectedProcedure
    .meta({ permission: 'instances.operate', target: 'instance' })
    .input(RevealSecretInput)
    .mutation(({ ctx, input }) => revealInstanceSecret(ctx.deps, input, ctx.user)),

  start: protectedProcedure
    .meta({ permission: 'instances.operate', target: 'instance' })
    .input(InstanceRef)
    .mutation(({ ctx, input }) => runInstanceAction(ctx.deps, input, 'start')),

  stop: protectedProcedure
    .meta({ permission: 'instances.operate', target: 'instance' })
    .input(InstanceRef)
    .mutation(({ ctx, input }) => runInstanceAction(ctx.deps, input, 'stop')),

  restart: protectedProcedure
    .meta({ permission: 'instances.operate', target: 'instance' })
    .input(InstanceRef)
    .mutation(({ ctx, input }) => runInstanceAction(ctx.deps, input, 'restart')),

  remove: protectedProcedure
    .meta({ permission: 'instances.delete', target: 'instance' })
    .input(InstanceRef)
    .mutation(async ({ ctx, input }) => {
      await removeInstance(ctx.deps, input);
      return { ok: true as const };
    }),

  config: router({
    get: protectedProcedure
      .meta({ permission: 'fleet.read', target: 'instance' })
      .input(InstanceRef)
      .query(({ ctx, input }) => getInstanceConfig(ctx.deps, input)),

    update: protectedProcedure
      .meta({ permission: 'instances.operate', target: 'instance' })
      .input(InstanceConfigPanelUpdate)
      .mutation(({ ctx, input }) => updateInstanceConfig(ctx.deps, input, input.settings)),
  }),

  logs: protectedProcedure
    .meta({ permission: 'fleet.read', target: 'instance' })
    .input(InstanceLogsPanelInput)
    .query(({ ctx, input }) => {
      const { serverId, name, ...query } = input;
      return readInstanceLogs(ctx.deps, { serverId, name }, query);
    }),

  ...connectAsProcedures,
});
