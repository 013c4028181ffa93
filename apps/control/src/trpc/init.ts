import { initTRPC, TRPCError } from '@trpc/server';
import { TooManyRequestsError } from '../errors';
import type { TrpcContext } from './context';
import { toTRPCError } from './to-trpc-error';

const t = initTRPC.context<TrpcContext>().create();

export const router = t.router;

const mapErrors = t.middleware(async ({ ctx, next }) => {
  const result = await next();
  if (result.ok) return result;
  const mapped = toTRPCError(result.error, ctx.deps.logger);
  if (mapped.cause instanceof TooManyRequestsError) {
    ctx.setHeader('retry-after', String(mapped.cause.retryAfterSeconds));
  }
  throw mapped;
});

export const publicProcedure = t.procedure.use(mapErrors);

export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  const { session, user } = ctx;
  if (session === null || user === null) {
    throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first' });
  }
  return next({ ctx: { ...ctx, session, user } });
});
