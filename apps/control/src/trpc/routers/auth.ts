import { LoginInput } from '@ordo/protocol/panel';
import { login, logout } from '../../features/auth';
import { protectedProcedure, publicProcedure, router } from '../init';

export const authRouter = router({
  me: publicProcedure.query(({ ctx }) => ctx.user),

  login: publicProcedure.input(LoginInput).mutation(async ({ ctx, input }) => {
    const result = await login(ctx.deps, input, { ...ctx.client, previousToken: ctx.sessionToken });
    ctx.setSessionCookie(result.token, result.expiresAt);
    return { user: result.user };
  }),

  logout: protectedProcedure.mutation(async ({ ctx }) => {
    await logout(ctx.deps, ctx.sessionToken);
    ctx.clearSessionCookie();
    return { ok: true as const };
  }),
});
