import { type Kysely, sql } from 'kysely';
import type { AuditLogRow } from '../account-types';
import type { Database } from '../types';

export async function insertAuditEntry(
  db: Kysely<Database>,
  entry: {
    at: Date;
    userId: string | null;
    userEmail: string | null;
    role: string | null;
    action: string;
    target: string | null;
    params: Record<string, unknown>;
    ip: string | null;
    userAgent: string | null;
  },
): Promise<string> {
  const row = await db
    .insertInto('audit_log')
    .values({
      at: entry.at,
      user_id: entry.userId,
      user_email: entry.userEmail,
      role: entry.role,
      action: entry.action,
      target: entry.target,
      params: JSON.stringify(entry.params),
      ip: entry.ip,
      user_agent: entry.userAgent?.slice(0, 512) ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function finishAuditEntry(
  db: Kysely<Database>,
  id: string,
  outcome: {
    result: 'ok' | 'error';
    errorCode: string | null;
    errorMessage: string | null;
    at: Date;
    /** Set when the actor became known only by the outcome (a sign-in). */
    actor?: { userId: string; email: string; role: string } | undefined;
  },
): Promise<void> {
  await db
    .updateTable('audit_log')
    .set({
      result: outcome.result,
      error_code: outcome.errorCode,
      error_message: outcome.errorMessage?.slice(0, 1000) ?? null,
      finished_at: outcome.at,
      ...(outcome.actor
        ? {
            user_id: outcome.actor.userId,
            user_email: outcome.actor.email,
            role: outcome.actor.role,
          }
        : {}),
    })
    .where('id', '=', id)
    .execute();
}

/** Links agent jobs to the action that started them (never re-links a job). */
export async function linkJobsToAudit(
  db: Kysely<Database>,
  auditId: string,
  jobIds: string[],
): Promise<void> {
  if (jobIds.length === 0) return;
  await db
    .updateTable('jobs')
    .set({ audit_id: auditId })
    .where('id', 'in', jobIds)
    .where('audit_id', 'is', null)
    .execute();
}

export interface AuditFilter {
  userId?: string | undefined;
  action?: string | undefined;
  result?: 'ok' | 'error' | undefined;
  from?: string | undefined;
  to?: string | undefined;
  search?: string | undefined;
  limit: number;
}

export type AuditRowWithJobs = AuditLogRow & { job_ids: string[] | null };

/** Newest first, with the ids of the jobs each entry started. */
export function listAuditEntries(
  db: Kysely<Database>,
  filter: AuditFilter,
): Promise<AuditRowWithJobs[]> {
  let query = db
    .selectFrom('audit_log')
    .selectAll('audit_log')
    .select((eb) =>
      eb
        .selectFrom('jobs')
        .select(sql<string[]>`array_agg(jobs.id ORDER BY jobs.created_at)`.as('ids'))
        .whereRef('jobs.audit_id', '=', 'audit_log.id')
        .as('job_ids'),
    );
  if (filter.userId !== undefined) query = query.where('audit_log.user_id', '=', filter.userId);
  if (filter.action !== undefined && filter.action !== '') {
    query = query.where('audit_log.action', '=', filter.action);
  }
  if (filter.result !== undefined) query = query.where('audit_log.result', '=', filter.result);
  if (filter.from !== undefined) query = query.where('audit_log.at', '>=', new Date(filter.from));
  if (filter.to !== undefined) query = query.where('audit_log.at', '<', new Date(filter.to));
  if (filter.search !== undefined && filter.search !== '') {
    const needle = filter.search;
    query = query.where((eb) =>
      eb.or(
        ['user_email', 'action', 'target', 'ip'].map((column) =>
          eb(
            sql<number>`strpos(lower(coalesce(${sql.ref(`audit_log.${column}`)}, '')), lower(${needle}))`,
            '>',
            0,
          ),
        ),
      ),
    );
  }
  return query
    .orderBy('audit_log.at', 'desc')
    .orderBy('audit_log.id', 'desc')
    .limit(filter.limit)
    .execute();
}

export async function listAuditActions(db: Kysely<Database>): Promise<string[]> {
  const rows = await db
    .selectFrom('audit_log')
    .select('action')
    .distinct()
    .orderBy('action')
    .execute();
  return rows.map((row) => row.action);
}

/** Everyone who appears in the log (by their latest email), for the user filter. */
export async function listAuditUsers(
  db: Kysely<Database>,
): Promise<{ id: string; email: string }[]> {
  const rows = await db
    .selectFrom('audit_log')
    .select(['user_id', sql<string>`max(user_email)`.as('email')])
    .where('user_id', 'is not', null)
    .groupBy('user_id')
    .orderBy('email')
    .execute();
  return rows.flatMap((row) =>
    row.user_id === null ? [] : [{ id: row.user_id, email: row.email }],
  );
}
