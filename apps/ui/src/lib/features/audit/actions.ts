import type { AuditEntryView } from '@ordo/protocol/panel';
import { api } from '../../api/trpc';
import { handleError } from '../../handle-error';
import { auditQuery, type AuditFilterValues } from './audit-filter';

export interface AuditChoices {
  actions: string[];
  users: { id: string; email: string }[];
}

export async function handleLoadAuditChoices(): Promise<AuditChoices> {
  try {
    const [actions, users] = await Promise.all([
      api.audit.actions.query(),
      api.audit.users.query(),
    ]);
    return { actions, users };
  } catch (error) {
    handleError(error, 'Could not load the audit filters');
    return { actions: [], users: [] };
  }
}

export async function handleLoadAudit(filter: AuditFilterValues): Promise<AuditEntryView[] | null> {
  const query = auditQuery(filter);
  if (!query.ok) return null;
  try {
    return await api.audit.list.query(query.input);
  } catch (error) {
    handleError(error, 'Could not load the audit log');
    return null;
  }
}
