import { AddRepoPanelInput, InstanceRef, RepoDeliveriesInput, RepoRef } from '@ordo/protocol/panel';
import {
  addRepo,
  listRepoDeliveries,
  listRepos,
  pullRepoNow,
  removeRepo,
  revealWebhookSecret,
} from '../../features/repos';
import { protectedProcedure, router } from '../init';
import { requesterOf } from './requester';

/** Git repositories of an instance; every call names the instance, whose type sets the role. */
export const reposRouter = router({
  list: protectedProcedure
    .meta({ permission: 'fleet.read', target: 'instance' })
    .input(InstanceRef)
    .query(({ ctx, input }) => listRepos(ctx.deps, input)),

  add: protectedProcedure
    .meta({ permission: 'instances.operate', target: 'instance' })
    .input(AddRepoPanelInput)
    .mutation(({ ctx, input }) => addRepo(ctx.deps, input, requesterOf(ctx.user))),

  pull: protectedProcedure
    .meta({ permission: 'instances.operate', target: 'instance' })
    .input(RepoRef)
    .mutation(({ ctx, input }) => pullRepoNow(ctx.deps, input, requesterOf(ctx.user))),

  remove: protectedProcedure
    .meta({ permission: 'instances.operate', target: 'instance' })
    .input(RepoRef)
    .mutation(async ({ ctx, input }) => {
      await removeRepo(ctx.deps, input);
      return { ok: true as const };
    }),

  revealSecret: protectedProcedure
    .meta({ permission: 'instances.operate', target: 'instance' })
    .input(RepoRef)
    .mutation(({ ctx, input }) => revealWebhookSecret(ctx.deps, input, ctx.user)),

  deliveries: protectedProcedure
    .meta({ permission: 'fleet.read', target: 'instance' })
    .input(RepoDeliveriesInput)
    .query(({ ctx, input }) => listRepoDeliveries(ctx.deps, input)),
});
