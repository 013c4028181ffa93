import { parse, serialize } from 'hono/utils/cookie';

export const SESSION_COOKIE = 'ordo_session';

export function readSessionToken(cookieHeader: string | null | undefined): string | null {
  if (!cookieHeader) return null;
  const token = parse(cookieHeader, SESSION_COOKIE)[SESSION_COOKIE];
  return token === undefined || token === '' ? null : token;
}

export function sessionCookie(
  token: string,
  options: { expiresAt: Date; now: Date; secure: boolean },
): string {
  return serialize(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: options.secure,
    maxAge: Math.max(0, Math.round((options.expiresAt.getTime() - options.now.getTime()) / 1000)),
  });
}

export function clearedSessionCookie(options: { secure: boolean }): string {
  return serialize(SESSION_COOKIE, '', {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: options.secure,
    maxAge: 0,
  });
}
