import type { SessionUser } from '@ordo/protocol/panel';

type SessionStatus = 'loading' | 'signed-in' | 'signed-out';

/** Who is signed in; the control plane's httpOnly cookie is the truth, this mirrors it. */
class SessionManager {
  user = $state<SessionUser | null>(null);
  status = $state<SessionStatus>('loading');

  signIn(user: SessionUser): void {
    this.user = user;
    this.status = 'signed-in';
  }

  signOut(): void {
    this.user = null;
    this.status = 'signed-out';
  }
}

export const sessionManager = new SessionManager();
