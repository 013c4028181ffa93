import type { FetchCreateContextFnOptions } from '@trpc/server/adapters/fetch';
import type { SessionUser } from '@ordo/protocol/panel';
import type { ControlDeps } from '../deps';
import { type ActiveSession, type ClientInfo, resolveSession } from '../features/auth';
import { clearedSessionCookie, readSessionToken, sessionCookie } from '../http/session-cookie';

export interface TrpcContext {
  deps: ControlDeps;
  user: SessionUser | null;
  session: ActiveSession | null;
  /** The cookie's token, even when it no longer names a live session. */
  sessionToken: string | null;
  client: ClientInfo;
  setSessionCookie(token: string, expiresAt: Date): void;
  clearSessionCookie(): void;
  setHeader(name: string, value: string): void;
}

export async function createTrpcContext(
  deps: ControlDeps,
  opts: FetchCreateContextFnOptions & { ip: string | null },
): Promise<TrpcContext> {
  const now = () => deps.now?.() ?? new Date();
  const secure = deps.publicUrl?.startsWith('https:') ?? false;
  const { req, resHeaders } = opts;
  const sessionToken = readSessionToken(req.headers.get('cookie'));
  const clearSessionCookie = () =>
    resHeaders.append('set-cookie', clearedSessionCookie({ secure }));

  const session = sessionToken === null ? null : await resolveSession(deps.db, sessionToken, now());
  if (sessionToken !== null && session === null) clearSessionCookie();

  return {
    deps,
    user: session?.user ?? null,
    session,
    sessionToken,
    client: { ip: opts.ip, userAgent: req.headers.get('user-agent') },
    setSessionCookie: (token, expiresAt) =>
      resHeaders.append('set-cookie', sessionCookie(token, { expiresAt, now: now(), secure })),
    clearSessionCookie,
    setHeader: (name, value) => resHeaders.set(name, value),
  };
}
