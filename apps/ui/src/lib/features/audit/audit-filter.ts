import { AuditListInput } from '@ordo/protocol/panel';
import type { z } from 'zod';
import { type Checked, checkForm } from '../../forms/field-errors';

export interface AuditFilterValues {
  userId: string;
  action: string;
  result: '' | 'ok' | 'error';
  /** `YYYY-MM-DD` from a date input; both days included. */
  from: string;
  to: string;
  search: string;
}

export function emptyAuditFilter(): AuditFilterValues {
  return { userId: '', action: '', result: '', from: '', to: '', search: '' };
}

/** Local midnight of a `YYYY-MM-DD`, as an ISO instant; `plusDays` for an exclusive end. */
function dayStart(day: string, plusDays = 0): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + plusDays).toISOString();
}

/** The `audit.list` input for the filters (the "to" day is included). */
export function auditQuery(values: AuditFilterValues): Checked<z.output<typeof AuditListInput>> {
  return checkForm(AuditListInput, {
    userId: values.userId || undefined,
    action: values.action || undefined,
    result: values.result || undefined,
    from: values.from ? dayStart(values.from) : undefined,
    to: values.to ? dayStart(values.to, 1) : undefined,
    search: values.search.trim() || undefined,
  });
}

/** The parameters of an entry, one `key: value` per line. */
export function describeParams(params: Record<string, unknown>): string {
  return Object.entries(params)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join('\n');
}
