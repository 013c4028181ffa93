import { initTRPC, TRPCError } from '@trpc/server';
import { TooManyRequestsError } from '../errors';
import { finishAudit, startAudit } from '../features/audit';
import { authorize, type ProcedureMeta } from '../features/users/authorize';
import type { TrpcContext } from './context';
import { toTRPCError } from './to-trpc-error';

const t = initTRPC
  .context<TrpcContext>()
  .meta<ProcedureMeta>()
  .create({
    // Subscriptions (job logs) stream over SSE: a ping keeps proxies from closing idle streams,
    // and the client reconnects when it hears nothing for twice that long.
    sse: {
      ping: { enabled: true, intervalMs: 15_000 },
      client: { reconnectAfterInactivityMs: 35_000 },
    },
  });

export const router = t.router;

/**
 * Every mutation, allowed or refused, goes to the audit log: written before it runs, completed
 * with the outcome. Anonymous calls are recorded only for public procedures (sign-in steps).
 */
const auditMutations = t.middleware(async ({ ctx, type, path, meta, getRawInput, next }) => {
  if (type !== 'mutation') return next();
  const isPublic = meta?.permission === 'public';
  if (ctx.user === null && !isPublic) return next();
  const { deps } = ctx;
  let auditId: string;
  try {
    auditId = await startAudit(deps, {
      user: ctx.user,
      action: path,
      input: await getRawInput(),
      client: ctx.client,
    });
  } catch (error) {
    // No action goes unrecorded: without the audit log, nothing changes.
    deps.logger.error({ err: error, action: path }, 'cannot write the audit log');
    throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'Internal error' });
  }
  const result = await next();
  const outcome = result.ok
    ? { ok: true as const, output: result.data }
    : { ok: false as const, code: result.error.code, message: result.error.message };
  await finishAudit(deps, auditId, outcome, { actorFromOutput: ctx.user === null }).catch(
    (error: unknown) =>
      deps.logger.error({ err: error, auditId }, 'cannot complete an audit entry'),
  );
  return result;
});

const mapErrors = t.middleware(async ({ ctx, next }) => {
  const result = await next();
  if (result.ok) return result;
  const mapped = toTRPCError(result.error, ctx.deps.logger);
  if (mapped.cause instanceof TooManyRequestsError) {
    ctx.setHeader('retry-after', String(mapped.cause.retryAfterSeconds));
  }
  throw mapped;
});

/** Role, server restriction and session, from the procedure's `meta` (see permissions.ts). */
const enforcePermission = t.middleware(async ({ ctx, meta, getRawInput, next }) => {
  const access = await authorize(ctx.deps.db, ctx.user, meta, await getRawInput());
  const result = await next();
  if (!result.ok || access.filterOutput === undefined) return result;
  return { ...result, data: access.filterOutput(result.data) };
});

export const publicProcedure = t.procedure
  .use(auditMutations)
  .use(mapErrors)
  .use(enforcePermission);

export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  const { session, user } = ctx;
  if (session === null || user === null) {
    throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first' });
  }
  return next({ ctx: { ...ctx, session, user } });
});
