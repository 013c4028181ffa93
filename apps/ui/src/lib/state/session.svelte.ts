import type { Permission, SessionUser } from '@ordo/protocol/panel';

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

  /**
   * Whether the signed-in account holds a permission. The panel hides what it cannot do; the
   * control plane refuses it anyway.
   */
  can(permission: Permission): boolean {
    return this.user?.permissions.includes(permission) ?? false;
  }

  /** Production instances need Developer Plus, staging ones Developer. */
  canOperate(instanceType: string): boolean {
    return this.can(
      instanceType === 'staging' ? 'instances.staging.operate' : 'instances.production.operate',
    );
  }
}

export const sessionManager = new SessionManager();
