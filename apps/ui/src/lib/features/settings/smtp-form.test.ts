import type { SmtpSettingsView } from '@ordo/protocol/panel';
import { describe, expect, it } from 'vitest';
import { badgeOf, checkSmtpForm, checkTestAddress, smtpToForm } from './smtp-form';

const VIEW: SmtpSettingsView = {
  host: 'smtp.example.com',
  port: 587,
  security: 'starttls',
  user: 'mailer@example.com',
  passwordSet: true,
  fromAddress: 'ordo@example.com',
  fromName: 'Ordo',
  status: 'configured',
  statusReason: null,
  checkedAt: '2030-01-01T00:00:00Z',
};

describe('SMTP form', () => {
  it('never starts with a password, and leaves a blank one out (keep the stored one)', () => {
    const values = smtpToForm(VIEW);
    expect(values.password).toBe('');
    const checked = checkSmtpForm(values);
    expect(checked.ok && 'password' in checked.input).toBe(false);
    expect(checked).toMatchObject({ ok: true, input: { host: 'smtp.example.com', port: 587 } });
  });

  it('sends a typed password', () => {
    expect(checkSmtpForm({ ...smtpToForm(VIEW), password: 'new secret' })).toMatchObject({
      ok: true,
      input: { password: 'new secret' },
    });
  });

  it('explains what is wrong with each field', () => {
    expect(checkSmtpForm({ ...smtpToForm(VIEW), host: '', port: 'abc', fromAddress: 'x' })).toEqual(
      {
        ok: false,
        errors: {
          host: 'Enter the SMTP server',
          port: 'Enter a port number',
          fromAddress: 'Enter a valid email address',
        },
      },
    );
    expect(checkTestAddress('nope')).toEqual({
      ok: false,
      errors: { to: 'Enter a valid email address' },
    });
  });

  it('shows the badge of the last check', () => {
    expect(badgeOf(VIEW)).toEqual({ tone: 'success', label: 'Configured' });
    expect(badgeOf({ ...VIEW, status: 'not_configured' })).toEqual({
      tone: 'danger',
      label: 'Not configured',
    });
  });
});
