import type { Kysely } from 'kysely';
import type { SessionUser } from '@ordo/protocol/panel';
import {
  finishAuditEntry,
  insertAuditEntry,
  linkJobsToAudit,
} from '../../db/repositories/audit.repository';
import type { Database } from '../../db/types';
import { describeTarget, redactParams } from './redact';

export interface AuditDeps {
  db: Kysely<Database>;
  now?: () => Date;
}

/**
 * Writes the entry before the mutation runs (result `pending`), so even a call that never
 * finishes leaves a trace; returns its id.
 */
export async function startAudit(
  deps: AuditDeps,
  call: {
    user: SessionUser | null;
    action: string;
    input: unknown;
    client: { ip: string | null; userAgent: string | null };
  },
): Promise<string> {
  const attemptedEmail: unknown =
    call.user === null && typeof call.input === 'object' && call.input !== null
      ? Reflect.get(call.input, 'email')
      : undefined;
  return insertAuditEntry(deps.db, {
    at: deps.now?.() ?? new Date(),
    userId: call.user?.id ?? null,
    userEmail: call.user?.email ?? (typeof attemptedEmail === 'string' ? attemptedEmail : null),
    role: call.user?.role ?? null,
    action: call.action,
    target: describeTarget(call.input),
    params: redactParams(call.input),
    ip: call.client.ip,
    userAgent: call.client.userAgent,
  });
}

function objectField(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? Reflect.get(value, key) : undefined;
}

/** Ids of the agent jobs in an answer: `{ job }`, `{ jobs }`, or a job itself. */
export function jobIdsIn(output: unknown): string[] {
  const ids: string[] = [];
  const take = (job: unknown) => {
    const id = objectField(job, 'id');
    if (typeof id === 'string' && typeof objectField(job, 'kind') === 'string') ids.push(id);
  };
  take(objectField(output, 'job'));
  const jobs = objectField(output, 'jobs');
  if (Array.isArray(jobs)) jobs.forEach(take);
  if (typeof objectField(output, 'state') === 'string') take(output);
  return ids;
}

/** Someone who signed in: the outcome names them (`{ user }` of `auth.login`/`verifyMfa`). */
function signedInUser(
  output: unknown,
): { userId: string; email: string; role: string } | undefined {
  const user = objectField(output, 'user');
  const id = objectField(user, 'id');
  const email = objectField(user, 'email');
  const role = objectField(user, 'role');
  if (typeof id !== 'string' || typeof email !== 'string' || typeof role !== 'string') {
    return undefined;
  }
  return { userId: id, email, role };
}

export async function finishAudit(
  deps: AuditDeps,
  auditId: string,
  outcome: { ok: true; output: unknown } | { ok: false; code: string; message: string },
  options: { actorFromOutput: boolean },
): Promise<void> {
  const at = deps.now?.() ?? new Date();
  if (!outcome.ok) {
    await finishAuditEntry(deps.db, auditId, {
      result: 'error',
      errorCode: outcome.code,
      errorMessage: outcome.message,
      at,
    });
    return;
  }
  await finishAuditEntry(deps.db, auditId, {
    result: 'ok',
    errorCode: null,
    errorMessage: null,
    at,
    actor: options.actorFromOutput ? signedInUser(outcome.output) : undefined,
  });
  await linkJobsToAudit(deps.db, auditId, jobIdsIn(outcome.output));
}
