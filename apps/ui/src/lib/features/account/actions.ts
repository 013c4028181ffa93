import {
  ChangePasswordInput,
  ConfirmEmailMfaInput,
  ConfirmTotpInput,
  type EmailMfaSetup,
  type MfaStatus,
  PasswordConfirmInput,
  type TotpSetup,
} from '@ordo/protocol/panel';
import { readApiError } from '../../api/api-error';
import { api } from '../../api/trpc';
import { checkForm, type FieldErrors } from '../../forms/field-errors';
import { handleError } from '../../handle-error';
import { sessionManager } from '../../state/session.svelte';
import { toastManager } from '../../state/toasts.svelte';
import { handleLoadSession } from '../auth/actions';

export type Outcome<T = true> =
  { ok: true; value: T } | { ok: false; errors: FieldErrors; message: string | null };

function refusal(error: unknown): { ok: false; errors: FieldErrors; message: string } {
  return { ok: false, errors: {}, message: readApiError(error).message };
}

export async function handleLoadMfaStatus(): Promise<MfaStatus | null> {
  try {
    return await api.account.mfaStatus.query();
  } catch (error) {
    handleError(error, 'Could not load your two-factor settings');
    return null;
  }
}

export async function handleChangePassword(values: {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}): Promise<Outcome> {
  if (values.newPassword !== values.confirm) {
    return { ok: false, errors: { confirm: 'The two passwords differ' }, message: null };
  }
  const checked = checkForm(ChangePasswordInput, values);
  if (!checked.ok) return { ok: false, errors: checked.errors, message: null };
  try {
    await api.account.changePassword.mutate(checked.input);
    toastManager.show('success', 'Password changed; your other sessions were signed out');
    return { ok: true, value: true };
  } catch (error) {
    return refusal(error);
  }
}

export async function handleLogoutEverywhere(): Promise<void> {
  try {
    const { ended } = await api.account.logoutEverywhere.mutate();
    sessionManager.signOut();
    toastManager.show('info', `Signed out of ${ended} ${ended === 1 ? 'session' : 'sessions'}`);
  } catch (error) {
    handleError(error, 'Could not sign out everywhere');
  }
}

export async function handleStartTotp(): Promise<Outcome<TotpSetup>> {
  try {
    return { ok: true, value: await api.account.startTotp.mutate() };
  } catch (error) {
    return refusal(error);
  }
}

export async function handleConfirmTotp(code: string): Promise<Outcome<string[]>> {
  const checked = checkForm(ConfirmTotpInput, { code });
  if (!checked.ok) return { ok: false, errors: checked.errors, message: null };
  try {
    const { codes } = await api.account.confirmTotp.mutate(checked.input);
    await handleLoadSession();
    return { ok: true, value: codes };
  } catch (error) {
    return refusal(error);
  }
}

export async function handleStartEmailMfa(): Promise<Outcome<EmailMfaSetup>> {
  try {
    return { ok: true, value: await api.account.startEmailMfa.mutate() };
  } catch (error) {
    return refusal(error);
  }
}

export async function handleConfirmEmailMfa(
  challengeId: string,
  code: string,
): Promise<Outcome<string[]>> {
  const checked = checkForm(ConfirmEmailMfaInput, { challengeId, code });
  if (!checked.ok) return { ok: false, errors: checked.errors, message: null };
  try {
    const { codes } = await api.account.confirmEmailMfa.mutate(checked.input);
    await handleLoadSession();
    return { ok: true, value: codes };
  } catch (error) {
    return refusal(error);
  }
}

export async function handleDisableMfa(password: string): Promise<Outcome> {
  const checked = checkForm(PasswordConfirmInput, { password });
  if (!checked.ok) return { ok: false, errors: checked.errors, message: null };
  try {
    await api.account.disableMfa.mutate(checked.input);
    await handleLoadSession();
    toastManager.show('info', 'Two-factor authentication is off');
    return { ok: true, value: true };
  } catch (error) {
    return refusal(error);
  }
}

export async function handleRegenerateCodes(password: string): Promise<Outcome<string[]>> {
  const checked = checkForm(PasswordConfirmInput, { password });
  if (!checked.ok) return { ok: false, errors: checked.errors, message: null };
  try {
    const { codes } = await api.account.regenerateRecoveryCodes.mutate(checked.input);
    return { ok: true, value: codes };
  } catch (error) {
    return refusal(error);
  }
}
