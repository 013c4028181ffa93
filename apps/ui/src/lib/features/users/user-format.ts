import {
  type EmailStatus,
  type MfaMethod,
  ROLE_LABELS,
  ROLES,
  type Role,
} from '@ordo/protocol/panel';
import type { Tone } from '../../components/tone';

export const ROLE_OPTIONS = ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }));

/** What each role may do, in the words of the Users page. */
export const ROLE_HINTS: Record<Role, string> = {
  viewer: 'Sees servers, instances, versions and jobs; changes nothing.',
  developer: 'Also operates staging instances (start, stop, settings, create).',
  developer_plus: 'Also operates production instances.',
  maintainer: 'Also manages servers, Odoo versions and settings, and reads the audit log.',
  admin: 'Everything, including users and deleting instances.',
};

export function mfaLabel(method: MfaMethod | null): { label: string; tone: Tone } {
  switch (method) {
    case 'totp':
      return { label: 'App', tone: 'success' };
    case 'email':
      return { label: 'Email', tone: 'success' };
    case null:
      return { label: 'Off', tone: 'neutral' };
  }
}

export function emailStatusTone(status: EmailStatus): Tone {
  switch (status) {
    case 'sent':
      return 'success';
    case 'failed':
      return 'danger';
    case 'queued':
    case 'sending':
      return 'warning';
  }
}

/** "Never" or a short local date and time. */
export function formatWhen(iso: string | null): string {
  if (iso === null) return 'Never';
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** The welcome email's fate, as the create dialog reports it. */
export function welcomeNote(outcome: 'queued' | 'smtp_not_configured' | 'not_requested'): string {
  switch (outcome) {
    case 'queued':
      return 'The welcome email with the access URL is on its way.';
    case 'smtp_not_configured':
      return 'No welcome email: SMTP is not configured (Settings).';
    case 'not_requested':
      return 'No welcome email was sent.';
  }
}

/** What a row of the Users table can ask for. */
export type UserAction = 'email' | 'password' | 'access' | 'reset-mfa' | 'delete';
