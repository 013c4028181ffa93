import {
  InstallVersionPanelInput,
  ServerScopedInput,
  UpgradeEnterprisePanelInput,
} from '@ordo/protocol/panel';
import { upgradeEnterprise } from '../../features/enterprise';
import { installVersion, listVersions } from '../../features/versions';
import { protectedProcedure, router } from '../init';
import { requesterOf } from './requester';

export const versionsRouter = router({
  list: protectedProcedure
    .meta({ permission: 'fleet.read', target: 'server' })
    .input(ServerScopedInput)
    .query(({ ctx, input }) => listVersions(ctx.deps, input.serverId)),

  install: protectedProcedure
    .meta({ permission: 'versions.manage', target: 'server' })
    .input(InstallVersionPanelInput)
    .mutation(({ ctx, input }) => installVersion(ctx.deps, input, requesterOf(ctx.user))),

  /** Adds the Enterprise modules to an installed Community version (a mirrored job). */
  upgradeEnterprise: protectedProcedure
    .meta({ permission: 'versions.manage', target: 'server' })
    .input(UpgradeEnterprisePanelInput)
    .mutation(({ ctx, input }) => upgradeEnterprise(ctx.deps, input, requesterOf(ctx.user))),
});
