import {
  ChangePasswordInput,
  ConfirmEmailMfaInput,
  ConfirmTotpInput,
  PasswordConfirmInput,
} from '@ordo/protocol/panel';
import { changeOwnPassword, logoutEverywhere } from '../../features/auth';
import {
  confirmEmailEnrolment,
  confirmTotpEnrolment,
  disableOwnMfa,
  getMfaStatus,
  regenerateRecoveryCodes,
  startEmailEnrolment,
  startTotpEnrolment,
} from '../../features/mfa';
import { protectedProcedure, router } from '../init';

/** The signed-in user's own account: every role may manage it. */
const own = protectedProcedure.meta({ permission: 'account.manage' });

export const accountRouter = router({
  changePassword: own.input(ChangePasswordInput).mutation(async ({ ctx, input }) => {
    await changeOwnPassword(
      ctx.deps,
      { userId: ctx.user.id, sessionId: ctx.session.id, ip: ctx.client.ip },
      input,
    );
    return { ok: true as const };
  }),

  logoutEverywhere: own.mutation(async ({ ctx }) => {
    const ended = await logoutEverywhere(ctx.deps, ctx.user.id);
    ctx.clearSessionCookie();
    return { ended };
  }),

  mfaStatus: own.query(({ ctx }) => getMfaStatus(ctx.deps, ctx.user.id)),

  startTotp: own.mutation(({ ctx }) => startTotpEnrolment(ctx.deps, ctx.user.id)),

  confirmTotp: own
    .input(ConfirmTotpInput)
    .mutation(({ ctx, input }) => confirmTotpEnrolment(ctx.deps, ctx.user.id, input.code)),

  startEmailMfa: own.mutation(({ ctx }) => startEmailEnrolment(ctx.deps, ctx.user.id, ctx.client)),

  confirmEmailMfa: own
    .input(ConfirmEmailMfaInput)
    .mutation(({ ctx, input }) => confirmEmailEnrolment(ctx.deps, ctx.user.id, input)),

  disableMfa: own.input(PasswordConfirmInput).mutation(async ({ ctx, input }) => {
    await disableOwnMfa(ctx.deps, ctx.user.id, input.password);
    return { ok: true as const };
  }),

  regenerateRecoveryCodes: own
    .input(PasswordConfirmInput)
    .mutation(({ ctx, input }) => regenerateRecoveryCodes(ctx.deps, ctx.user.id, input.password)),
});
