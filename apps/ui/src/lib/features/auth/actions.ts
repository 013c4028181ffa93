import { LoginInput } from '@ordo/protocol/panel';
import { readApiError } from '../../api/api-error';
import { api } from '../../api/trpc';
import { handleError } from '../../handle-error';
import { sessionManager } from '../../state/session.svelte';
import { toastManager } from '../../state/toasts.svelte';

export type LoginOutcome =
  | { ok: true }
  | { ok: false; fieldErrors: { email?: string; password?: string }; message: string | null };

/** Asks the control plane who owns the session cookie, if anyone. */
export async function handleLoadSession(): Promise<void> {
  try {
    const user = await api.auth.me.query();
    if (user) sessionManager.signIn(user);
    else sessionManager.signOut();
  } catch (error) {
    sessionManager.signOut();
    handleError(error, 'Could not check your session');
  }
}

export async function handleLogin(values: {
  email: string;
  password: string;
}): Promise<LoginOutcome> {
  const parsed = LoginInput.safeParse(values);
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const messageFor = (field: string) => issues.find((issue) => issue.path[0] === field)?.message;
    return {
      ok: false,
      fieldErrors: { email: messageFor('email'), password: messageFor('password') },
      message: null,
    };
  }
  try {
    const { user } = await api.auth.login.mutate(parsed.data);
    sessionManager.signIn(user);
    return { ok: true };
  } catch (error) {
    // Wrong credentials and throttling are expected answers: shown in the form, not as a toast.
    return { ok: false, fieldErrors: {}, message: readApiError(error).message };
  }
}

export async function handleLogout(): Promise<void> {
  try {
    await api.auth.logout.mutate();
  } catch (error) {
    handleError(error, 'Could not end the session on the server');
    return;
  }
  sessionManager.signOut();
  toastManager.show('info', 'You are logged out');
}
