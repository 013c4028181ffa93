import { SmtpSettingsInput, type SmtpSettingsView, SmtpTestInput } from '@ordo/protocol/panel';
import type { z } from 'zod';
import type { Tone } from '../../components/tone';
import { type Checked, checkForm } from '../../forms/field-errors';

export interface SmtpFormValues {
  host: string;
  port: string;
  security: 'none' | 'starttls' | 'ssl';
  user: string;
  password: string;
  fromAddress: string;
  fromName: string;
}

/** The form starts from the stored settings; the password field always starts blank. */
export function smtpToForm(view: SmtpSettingsView): SmtpFormValues {
  return {
    host: view.host,
    port: String(view.port),
    security: view.security,
    user: view.user,
    password: '',
    fromAddress: view.fromAddress,
    fromName: view.fromName,
  };
}

/** A blank password means "keep the stored one", so it is left out. */
export function checkSmtpForm(values: SmtpFormValues): Checked<z.output<typeof SmtpSettingsInput>> {
  const { password, ...rest } = values;
  return checkForm(SmtpSettingsInput, password === '' ? rest : values);
}

export function checkTestAddress(to: string): Checked<z.output<typeof SmtpTestInput>> {
  return checkForm(SmtpTestInput, { to });
}

/** The usual port for each security mode, offered when the port is still a default one. */
export const DEFAULT_PORTS = { none: '25', starttls: '587', ssl: '465' } as const;

export function badgeOf(view: SmtpSettingsView): { tone: Tone; label: string } {
  return view.status === 'configured'
    ? { tone: 'success', label: 'Configured' }
    : { tone: 'danger', label: 'Not configured' };
}
