import type { SmtpSettingsView } from '@ordo/protocol/panel';
import { readApiError } from '../../api/api-error';
import { api } from '../../api/trpc';
import type { FieldErrors } from '../../forms/field-errors';
import { handleError } from '../../handle-error';
import { toastManager } from '../../state/toasts.svelte';
import { checkSmtpForm, checkTestAddress, type SmtpFormValues } from './smtp-form';

export async function handleLoadSmtp(): Promise<SmtpSettingsView | null> {
  try {
    return await api.settings.smtp.query();
  } catch (error) {
    handleError(error, 'Could not load the SMTP settings');
    return null;
  }
}

export type SaveOutcome =
  { ok: true; view: SmtpSettingsView } | { ok: false; errors: FieldErrors; message: string | null };

/** Saves and checks the connection; the answer carries the badge's state and reason. */
export async function handleSaveSmtp(values: SmtpFormValues): Promise<SaveOutcome> {
  const checked = checkSmtpForm(values);
  if (!checked.ok) return { ok: false, errors: checked.errors, message: null };
  try {
    const view = await api.settings.saveSmtp.mutate(checked.input);
    if (view.status === 'configured')
      toastManager.show('success', 'SMTP settings saved and working');
    else toastManager.show('error', `SMTP settings saved, but the server check failed`);
    return { ok: true, view };
  } catch (error) {
    return { ok: false, errors: {}, message: readApiError(error).message };
  }
}

export async function handleSendTestEmail(to: string): Promise<string | null> {
  const checked = checkTestAddress(to);
  if (!checked.ok) return checked.errors.to ?? 'Enter an email address';
  try {
    await api.settings.testSmtp.mutate(checked.input);
    toastManager.show(
      'success',
      `Test email to ${checked.input.to} queued: see Users → Email history`,
    );
    return null;
  } catch (error) {
    return readApiError(error).message;
  }
}
