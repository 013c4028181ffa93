import {
  LoginInput,
  type LoginResult,
  ResendMfaCodeInput,
  ResetPasswordInput,
  VerifyMfaInput,
} from '@ordo/protocol/panel';
import {
  login,
  logout,
  resendMfaCode,
  resetPasswordWithToken,
  type SignedIn,
  verifyMfa,
} from '../../features/auth';
import type { TrpcContext } from '../context';
import { protectedProcedure, publicProcedure, router } from '../init';

function startSession(ctx: TrpcContext, signedIn: SignedIn): LoginResult {
  ctx.setSessionCookie(signedIn.token, signedIn.expiresAt);
  return { mfaRequired: false, user: signedIn.user };
}

export const authRouter = router({
  me: publicProcedure.meta({ permission: 'public' }).query(({ ctx }) => ctx.user),

  /**
   * Without 2FA: `{ mfaRequired: false, user }` and the session cookie, as before. With 2FA:
   * `{ mfaRequired: true, method, challengeId, … }` and no cookie until `verifyMfa`.
   */
  login: publicProcedure
    .meta({ permission: 'public' })
    .input(LoginInput)
    .mutation(async ({ ctx, input }): Promise<LoginResult> => {
      const result = await login(ctx.deps, input, {
        ...ctx.client,
        previousToken: ctx.sessionToken,
      });
      if (result.mfaRequired) return { ...result, expiresAt: result.expiresAt.toISOString() };
      return startSession(ctx, result);
    }),

  verifyMfa: publicProcedure
    .meta({ permission: 'public' })
    .input(VerifyMfaInput)
    .mutation(async ({ ctx, input }) => {
      const signedIn = await verifyMfa(ctx.deps, input, {
        ...ctx.client,
        previousToken: ctx.sessionToken,
      });
      return startSession(ctx, signedIn);
    }),

  resendMfaCode: publicProcedure
    .meta({ permission: 'public' })
    .input(ResendMfaCodeInput)
    .mutation(async ({ ctx, input }) => {
      const { expiresAt } = await resendMfaCode(ctx.deps, input.challengeId);
      return { expiresAt: expiresAt.toISOString() };
    }),

  resetPassword: publicProcedure
    .meta({ permission: 'public' })
    .input(ResetPasswordInput)
    .mutation(async ({ ctx, input }) => {
      await resetPasswordWithToken(ctx.deps, input);
      return { ok: true as const };
    }),

  logout: protectedProcedure.meta({ permission: 'account.manage' }).mutation(async ({ ctx }) => {
    await logout(ctx.deps, ctx.sessionToken);
    ctx.clearSessionCookie();
    return { ok: true as const };
  }),
});
