import { BackupRef, InstanceRef } from '@ordo/protocol/panel';
import { createBackup, listBackups, removeBackup } from '../../features/backups';
import { protectedProcedure, router } from '../init';
import { requesterOf } from './requester';

/**
 * Backups of one instance. Making and deleting one is an instance operation (Developer on
 * staging, Developer Plus on production); listing is reading the fleet. Downloads and restore
 * uploads are streamed, so they are plain HTTP routes (http/backup-routes.ts) behind the same
 * checks.
 */
export const backupsRouter = router({
  list: protectedProcedure
    .meta({ permission: 'fleet.read', target: 'instance' })
    .input(InstanceRef)
    .query(({ ctx, input }) => listBackups(ctx.deps, input)),

  create: protectedProcedure
    .meta({ permission: 'instances.operate', target: 'instance' })
    .input(InstanceRef)
    .mutation(({ ctx, input }) => createBackup(ctx.deps, input, requesterOf(ctx.user))),

  remove: protectedProcedure
    .meta({ permission: 'instances.operate', target: 'instance' })
    .input(BackupRef)
    .mutation(async ({ ctx, input }) => {
      await removeBackup(ctx.deps, input);
      return { ok: true as const };
    }),
});
