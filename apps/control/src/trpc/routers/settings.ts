import { SmtpSettingsInput, SmtpTestInput } from '@ordo/protocol/panel';
import { getSmtpSettings, saveSmtpSettings, sendTestEmail } from '../../features/settings';
import { protectedProcedure, router } from '../init';

const manage = protectedProcedure.meta({ permission: 'settings.manage', target: 'fleet' });

export const settingsRouter = router({
  smtp: manage.query(({ ctx }) => getSmtpSettings(ctx.deps)),

  /** Stores the settings, checks the connection, and answers the badge's state and reason. */
  saveSmtp: manage
    .input(SmtpSettingsInput)
    .mutation(({ ctx, input }) => saveSmtpSettings(ctx.deps, input, ctx.user.id)),

  testSmtp: manage
    .input(SmtpTestInput)
    .mutation(({ ctx, input }) => sendTestEmail(ctx.deps, input.to, ctx.user.id)),
});
