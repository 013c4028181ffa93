import { InstanceQuota, SmtpSettingsInput, SmtpTestInput } from '@ordo/protocol/panel';
import {
  getInstanceQuota,
  getSmtpSettings,
  saveInstanceQuota,
  saveSmtpSettings,
  sendTestEmail,
} from '../../features/settings';
import { protectedProcedure, router } from '../init';
import { sshKeyRouter } from './ssh-key';

const manage = protectedProcedure.meta({ permission: 'settings.manage', target: 'fleet' });

export const settingsRouter = router({
  smtp: manage.query(({ ctx }) => getSmtpSettings(ctx.deps)),

  /** Stores the settings, checks the connection, and answers the badge's state and reason. */
  saveSmtp: manage
    .input(SmtpSettingsInput)
    .mutation(({ ctx, input }) => saveSmtpSettings(ctx.deps, input, ctx.user.id)),

  /** Everyone who sees the fleet sees how much of the quota it uses (Dashboard). */
  quota: protectedProcedure
    .meta({ permission: 'fleet.read', target: 'none' })
    .query(({ ctx }) => getInstanceQuota(ctx.deps.db)),

  saveQuota: manage
    .input(InstanceQuota)
    .mutation(({ ctx, input }) =>
      saveInstanceQuota(ctx.deps.db, input, ctx.user.id, ctx.deps.now?.() ?? new Date()),
    ),

  testSmtp: manage
    .input(SmtpTestInput)
    .mutation(({ ctx, input }) => sendTestEmail(ctx.deps, input.to, ctx.user.id)),

  /** The Enterprise SSH key of each server (per server, so not under `manage`'s fleet target). */
  sshKey: sshKeyRouter,
});
