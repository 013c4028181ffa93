import type { Kysely } from 'kysely';
import type { Permission, SessionUser } from '@ordo/protocol/panel';
import { findInstance } from '../../db/repositories/instances.repository';
import { findJob } from '../../db/repositories/jobs.repository';
import { findServerById } from '../../db/repositories/servers.repository';
import type { Database } from '../../db/types';
import { ForbiddenError, UnauthorizedError } from '../../errors';
import {
  hasPermission,
  instancePermission,
  type ProcedurePermission,
  refusalMessage,
} from './permissions';

/**
 * Where a procedure's input names the server it acts on, for server-limited accounts:
 * - `none`: no server (own account, users, emails…);
 * - `fleet`: the whole fleet (add a server, settings, audit): refused to limited accounts;
 * - `server`: `input.serverId`; `server-id`: `input.id` is a server id;
 * - `instance`: `input.serverId` + `input.name` (the type decides `instances.operate`);
 * - `job`: `input.id` is a job id;
 * - `list` / `server-list`: an optional `input.serverId`, and the answer, an array, is cut
 *   down to the account's server (by `serverId` / by `id`).
 */
export type TargetKind =
  'none' | 'fleet' | 'server' | 'server-id' | 'instance' | 'job' | 'list' | 'server-list';

/** What every tRPC procedure declares with `.meta(...)`; one middleware enforces it. */
export interface ProcedureMeta {
  permission: ProcedurePermission;
  target?: TargetKind;
}

export const SIGN_IN_FIRST = 'Sign in first';
export const UNDECLARED = 'This action declares no permission, so only an administrator may use it';

export interface Authorization {
  /** For list procedures of a server-limited account: keeps only that server's items. */
  filterOutput?: (output: unknown) => unknown;
}

function field(input: unknown, key: string): string | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const value: unknown = Reflect.get(input, key);
  return typeof value === 'string' ? value : undefined;
}

interface Target {
  serverId: string | null;
  /** The instance type when the call is about one (or creates one). */
  instanceType: string | null;
  /** The job kind when the call is about a job. */
  jobKind: string | null;
}

async function resolveTarget(
  db: Kysely<Database>,
  kind: TargetKind,
  input: unknown,
): Promise<Target> {
  switch (kind) {
    case 'none':
    case 'fleet':
      return { serverId: null, instanceType: null, jobKind: null };
    case 'server':
    case 'list':
    case 'server-list':
      return { serverId: field(input, 'serverId') ?? null, instanceType: null, jobKind: null };
    case 'server-id':
      return { serverId: field(input, 'id') ?? null, instanceType: null, jobKind: null };
    case 'instance': {
      const serverId = field(input, 'serverId') ?? null;
      const name = field(input, 'name');
      const row =
        serverId !== null && name !== undefined && isUuid(serverId)
          ? await findInstance(db, serverId, name)
          : undefined;
      // Unknown instances count as production: the stricter rule.
      return {
        serverId,
        instanceType: row?.type ?? field(input, 'type') ?? 'production',
        jobKind: null,
      };
    }
    case 'job': {
      const id = field(input, 'id');
      const job = id === undefined ? undefined : await findJob(db, id);
      if (job === undefined) return { serverId: null, instanceType: null, jobKind: null };
      const instance = await findInstance(db, job.server_id, job.target);
      return {
        serverId: job.server_id,
        instanceType: instance?.type ?? 'production',
        jobKind: job.kind,
      };
    }
  }
}

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

function requiredPermission(meta: ProcedureMeta, target: Target): Permission | null {
  if (meta.permission === 'public') return null;
  if (meta.permission === 'instances.operate') {
    return instancePermission(target.instanceType ?? 'production');
  }
  if (meta.permission === 'jobs.operate') {
    if (target.jobKind?.startsWith('version.')) return 'versions.manage';
    if (target.jobKind === 'migrate') return 'servers.manage';
    return instancePermission(target.instanceType ?? 'production');
  }
  return meta.permission;
}

async function limitedMessage(db: Kysely<Database>, serverId: string): Promise<string> {
  const server = isUuid(serverId) ? await findServerById(db, serverId) : undefined;
  return `Your account is limited to the server ${server?.name ?? 'it was given'}`;
}

function keepServer(output: unknown, serverId: string, key: 'serverId' | 'id'): unknown {
  if (!Array.isArray(output)) {
    // Fail closed: a list procedure whose answer is not a list cannot be filtered safely.
    throw new Error('a list procedure answered something other than an array');
  }
  const items: unknown[] = output;
  return items.filter((item) => field(item, key) === serverId);
}

/**
 * The one server-side check behind every procedure: signed in (unless public), allowed by the
 * role table, and, for server-limited accounts, acting on their server only.
 */
export async function authorize(
  db: Kysely<Database>,
  user: SessionUser | null,
  meta: ProcedureMeta | undefined,
  input: unknown,
): Promise<Authorization> {
  if (meta?.permission === 'public') return {};
  if (user === null) throw new UnauthorizedError(SIGN_IN_FIRST);
  if (meta === undefined) {
    if (user.role !== 'admin') throw new ForbiddenError(UNDECLARED);
    return {};
  }
  const kind = meta.target ?? 'none';
  const target = await resolveTarget(db, kind, input);
  const permission = requiredPermission(meta, target);
  if (permission !== null && !hasPermission(user, permission)) {
    throw new ForbiddenError(refusalMessage(user.role, permission));
  }

  const limit = user.serverId;
  if (limit === null) return {};
  if (kind === 'fleet') {
    throw new ForbiddenError(
      `${await limitedMessage(db, limit)}: this action concerns the whole panel`,
    );
  }
  if (target.serverId !== null && target.serverId !== limit) {
    throw new ForbiddenError(await limitedMessage(db, limit));
  }
  if (kind === 'list') return { filterOutput: (output) => keepServer(output, limit, 'serverId') };
  if (kind === 'server-list') return { filterOutput: (output) => keepServer(output, limit, 'id') };
  return {};
}
