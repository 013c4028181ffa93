import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { type AuditEntryView, type AuditListInput, Role } from '@ordo/protocol/panel';
import {
  type AuditRowWithJobs,
  listAuditActions,
  listAuditEntries,
  listAuditUsers,
} from '../../db/repositories/audit.repository';
import type { Database } from '../../db/types';

function toParams(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value));
}

export function toAuditView(row: AuditRowWithJobs): AuditEntryView {
  const role = Role.safeParse(row.role);
  return {
    id: row.id,
    at: row.at.toISOString(),
    userId: row.user_id,
    userEmail: row.user_email,
    role: role.success ? role.data : null,
    action: row.action,
    target: row.target,
    params: toParams(row.params),
    result: row.result,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    ip: row.ip,
    jobIds: row.job_ids ?? [],
  };
}

export async function listAudit(
  deps: { db: Kysely<Database> },
  input: z.output<typeof AuditListInput>,
): Promise<AuditEntryView[]> {
  const rows = await listAuditEntries(deps.db, input);
  return rows.map(toAuditView);
}

export function listActions(deps: { db: Kysely<Database> }): Promise<string[]> {
  return listAuditActions(deps.db);
}

export function listActors(deps: {
  db: Kysely<Database>;
}): Promise<{ id: string; email: string }[]> {
  return listAuditUsers(deps.db);
}
