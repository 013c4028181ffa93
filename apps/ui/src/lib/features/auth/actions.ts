import {
  LoginInput,
  type MfaMethod,
  ResetPasswordInput,
  VerifyMfaInput,
} from '@ordo/protocol/panel';
import { readApiError } from '../../api/api-error';
import { api } from '../../api/trpc';
import { handleError } from '../../handle-error';
import { sessionManager } from '../../state/session.svelte';
import { toastManager } from '../../state/toasts.svelte';

/** The code step of a sign-in with 2FA. */
export interface MfaStep {
  method: MfaMethod;
  challengeId: string;
  /** Where an email code went (masked); null for the app. */
  sentTo: string | null;
}

export type LoginOutcome =
  | { ok: true }
  | { ok: 'mfa'; step: MfaStep }
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
    const result = await api.auth.login.mutate(parsed.data);
    if (result.mfaRequired) {
      const { method, challengeId, sentTo } = result;
      return { ok: 'mfa', step: { method, challengeId, sentTo } };
    }
    sessionManager.signIn(result.user);
    return { ok: true };
  } catch (error) {
    // Wrong credentials and throttling are expected answers: shown in the form, not as a toast.
    return { ok: false, fieldErrors: {}, message: readApiError(error).message };
  }
}

export type CodeOutcome = { ok: true } | { ok: false; message: string; restart: boolean };

/** Messages after which the code step is over: back to the password. */
const RESTART = /enter your password again/;

export async function handleVerifyCode(step: MfaStep, code: string): Promise<CodeOutcome> {
  const parsed = VerifyMfaInput.safeParse({ challengeId: step.challengeId, code });
  if (!parsed.success) {
    return {
      ok: false,
      message: parsed.error.issues[0]?.message ?? 'Enter the code',
      restart: false,
    };
  }
  try {
    const result = await api.auth.verifyMfa.mutate(parsed.data);
    if (!result.mfaRequired) sessionManager.signIn(result.user);
    return { ok: true };
  } catch (error) {
    const { message } = readApiError(error);
    return { ok: false, message, restart: RESTART.test(message) };
  }
}

/** Mails a new code (at most once a minute); answers what to tell the user. */
export async function handleResendCode(step: MfaStep): Promise<string> {
  try {
    await api.auth.resendMfaCode.mutate({ challengeId: step.challengeId });
    return `A new code is on its way to ${step.sentTo ?? 'your inbox'}`;
  } catch (error) {
    return readApiError(error).message;
  }
}

export type ResetOutcome = { ok: true } | { ok: false; message: string };

export async function handleResetPassword(values: {
  token: string;
  password: string;
  confirm: string;
}): Promise<ResetOutcome> {
  if (values.password !== values.confirm) {
    return { ok: false, message: 'The two passwords differ' };
  }
  const parsed = ResetPasswordInput.safeParse({ token: values.token, password: values.password });
  if (!parsed.success) {
    return { ok: false, message: parsed.error.issues[0]?.message ?? 'Check the form' };
  }
  try {
    await api.auth.resetPassword.mutate(parsed.data);
    return { ok: true };
  } catch (error) {
    return { ok: false, message: readApiError(error).message };
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
