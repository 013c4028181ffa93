import { describe, expect, it } from 'vitest';
import { emailStatusTone, formatWhen, mfaLabel, ROLE_OPTIONS, welcomeNote } from './user-format';

describe('user formatting', () => {
  it('lists the roles lowest first with their names', () => {
    expect(ROLE_OPTIONS.map((o) => o.label)).toEqual([
      'Viewer',
      'Developer',
      'Developer Plus',
      'Maintainer',
      'Admin',
    ]);
  });

  it('names the 2FA state', () => {
    expect(mfaLabel('totp')).toEqual({ label: 'App', tone: 'success' });
    expect(mfaLabel('email')).toEqual({ label: 'Email', tone: 'success' });
    expect(mfaLabel(null)).toEqual({ label: 'Off', tone: 'neutral' });
  });

  it('colours email statuses', () => {
    expect(emailStatusTone('sent')).toBe('success');
    expect(emailStatusTone('failed')).toBe('danger');
    expect(emailStatusTone('queued')).toBe('warning');
  });

  it('says never for a missing date', () => {
    expect(formatWhen(null)).toBe('Never');
    expect(formatWhen('2030-01-02T03:04:05Z')).toMatch(/2030/);
  });

  it('explains what happened to the welcome email', () => {
    expect(welcomeNote('smtp_not_configured')).toBe(
      'No welcome email: SMTP is not configured (Settings).',
    );
  });
});
