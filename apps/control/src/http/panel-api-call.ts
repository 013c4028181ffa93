import type { TRPC_ERROR_CODE_KEY } from '@trpc/server';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { SessionUser } from '@ordo/protocol/panel';
import type { ControlDeps } from '../deps';
import { type DomainErrorCode, isDomainError, UnauthorizedError } from '../errors';
import { finishAudit, startAudit } from '../features/audit';
import { type ClientInfo, resolveSession } from '../features/auth';
import { authorize, type ProcedureMeta, SIGN_IN_FIRST } from '../features/users/authorize';
import { clientAddress } from './client-address';
import { readSessionToken } from './session-cookie';

/** Who makes a `/api/…` call, once signed in and allowed. */
export interface PanelApiCaller {
  user: SessionUser;
  client: ClientInfo;
}

export interface PanelApiCall<T> {
  /** The audit log's action, named like a tRPC path (`instances.uploadAddons`). */
  action: string;
  /** What the call needs, declared as a tRPC procedure declares it (see permissions.ts). */
  meta: ProcedureMeta;
  /** The call's parameters from the URL (no body): permission target and audit parameters. */
  input: Record<string, unknown>;
  run: (caller: PanelApiCaller) => Promise<T>;
  /** The answer of a success; JSON of the value by default. */
  respond?: (value: T) => Response;
}

/**
 * Status and code of each domain error; `audit` is the code the audit log keeps, the one a tRPC
 * procedure would have recorded, so both kinds of call read alike there.
 */
const STATUS: Record<
  DomainErrorCode,
  { status: ContentfulStatusCode; code: string; audit: TRPC_ERROR_CODE_KEY }
> = {
  validation: { status: 400, code: 'bad_request', audit: 'BAD_REQUEST' },
  unauthorized: { status: 401, code: 'unauthorized', audit: 'UNAUTHORIZED' },
  forbidden: { status: 403, code: 'forbidden', audit: 'FORBIDDEN' },
  not_found: { status: 404, code: 'not_found', audit: 'NOT_FOUND' },
  conflict: { status: 409, code: 'conflict', audit: 'CONFLICT' },
  payload_too_large: { status: 413, code: 'payload_too_large', audit: 'PAYLOAD_TOO_LARGE' },
  too_many_requests: { status: 429, code: 'too_many_requests', audit: 'TOO_MANY_REQUESTS' },
  agent_unavailable: { status: 502, code: 'agent_unavailable', audit: 'BAD_GATEWAY' },
  database_unavailable: { status: 503, code: 'database_unavailable', audit: 'SERVICE_UNAVAILABLE' },
  invalid_secret_key: { status: 500, code: 'internal', audit: 'INTERNAL_SERVER_ERROR' },
  secret_unreadable: { status: 500, code: 'internal', audit: 'INTERNAL_SERVER_ERROR' },
};

/** `{ error: { code, message } }` with its status; unknown errors are logged, not shown. */
function errorAnswer(
  deps: Pick<ControlDeps, 'logger'>,
  error: unknown,
  action: string,
): { status: ContentfulStatusCode; code: string; audit: string; message: string } {
  if (isDomainError(error)) return { ...STATUS[error.code], message: error.message };
  deps.logger.error({ err: error, action }, 'unexpected error in an API route');
  return {
    status: 500,
    code: 'internal',
    audit: 'INTERNAL_SERVER_ERROR',
    message: 'Internal error',
  };
}

/**
 * Runs a `/api/…` call (streamed uploads and downloads tRPC does not carry) under the same
 * rules as a tRPC procedure: the session cookie, the role table and the server restriction
 * (`authorize`, from `meta`), and the audit log: every call of a signed-in user is recorded
 * before it runs, refused ones too, and completed with its outcome. Foreign origins never get
 * here (`rejectForeignOrigins`). Errors answer `{ error: { code, message } }` with a status.
 */
export async function runPanelApiCall<T>(
  deps: ControlDeps,
  c: Context,
  call: PanelApiCall<T>,
): Promise<Response> {
  const now = deps.now?.() ?? new Date();
  const token = readSessionToken(c.req.header('cookie'));
  let caller: PanelApiCaller;
  try {
    const session = token === null ? null : await resolveSession(deps.db, token, now);
    if (session === null) throw new UnauthorizedError(SIGN_IN_FIRST);
    caller = {
      user: session.user,
      client: { ip: clientAddress(c), userAgent: c.req.header('user-agent') ?? null },
    };
  } catch (error) {
    const answer = errorAnswer(deps, error, call.action);
    return c.json({ error: { code: answer.code, message: answer.message } }, answer.status);
  }

  let auditId: string;
  try {
    auditId = await startAudit(deps, {
      user: caller.user,
      action: call.action,
      input: call.input,
      client: caller.client,
    });
  } catch (error) {
    // As for tRPC: without the audit log, nothing changes.
    deps.logger.error({ err: error, action: call.action }, 'cannot write the audit log');
    return c.json({ error: { code: 'internal', message: 'Internal error' } }, 500);
  }

  let outcome: { ok: true; output: unknown } | { ok: false; code: string; message: string };
  let response: Response;
  try {
    await authorize(deps.db, caller.user, call.meta, call.input);
    const value = await call.run(caller);
    outcome = { ok: true, output: value };
    response = call.respond?.(value) ?? Response.json(value);
  } catch (error) {
    const answer = errorAnswer(deps, error, call.action);
    outcome = { ok: false, code: answer.audit, message: answer.message };
    response = c.json({ error: { code: answer.code, message: answer.message } }, answer.status);
  }
  await finishAudit(deps, auditId, outcome, { actorFromOutput: false }).catch((error: unknown) =>
    deps.logger.error({ err: error, auditId }, 'cannot complete an audit entry'),
  );
  return response;
}
