import { mkdir, rm, stat } from 'node:fs/promises';
import type { CreateInstanceAccepted, CreateInstanceInput } from '@ordo/protocol';
import type { z } from 'zod';
import { AgentError } from '../errors';
import { databaseExists } from '../postgres/databases';
import { describeTarget, ensureReachable, unreachable } from '../postgres/pg-target';
import { versionDir } from '../versions/version-paths';
import { readVersionRecord } from '../versions/version-record';
import { allocatePorts } from './allocate-ports';
import { runCreateJob, type CreatePlan } from './create-job';
import { generatePassword } from './generate-password';
import type { InstanceDeps } from './instance-deps';
import { instanceDir, instancesDir } from './instance-paths';
import type { InstanceRecord } from './instance-record';
import { readInstanceRecord, writeInstanceRecord } from './instance-store';
import { mapRuntimeErrors } from './runtime-failure';

type CreateInput = z.output<typeof CreateInstanceInput>;

const MASTER_PASSWORD_LENGTH = 24;
const ADMIN_PASSWORD_LENGTH = 20;
/** Lock key for claiming names and ports, shared by every creation. */
const CLAIM_LOCK = '\u0000claim';

/**
 * Checks everything that can be checked at once (so that a bad request changes nothing),
 * claims the name and two ports by writing a `provisioning` record, and starts the
 * `instance.create` job. The generated passwords are returned this once.
 */
export async function startInstanceCreate(
  deps: InstanceDeps,
  input: CreateInput,
  requestedBy: string | null,
  /** A clone: its job kind and how it fills the database instead of `-i base`. */
  clone?: { populate: (record: InstanceRecord) => CreatePlan['populate'] },
): Promise<CreateInstanceAccepted> {
  await checkVersion(deps, input);
  await checkParent(deps, input);
  await checkNameFree(deps, input.name);
  await mapRuntimeErrors(() => deps.runtime.preflight({ start: true }));
  await checkPostgres(deps, databaseNameFor(deps, input.name));

  const masterPassword = generatePassword(MASTER_PASSWORD_LENGTH);
  const adminPassword = generatePassword(ADMIN_PASSWORD_LENGTH);
  const record = await deps.locks.run(CLAIM_LOCK, () => claim(deps, input));
  const plan: CreatePlan = {
    record,
    masterPassword,
    adminPassword,
    ...(clone === undefined ? {} : { populate: clone.populate(record) }),
  };
  try {
    const job = await deps.runner.enqueue({
      kind: clone === undefined ? 'instance.create' : 'instance.clone',
      target: input.name,
      requestedBy,
      conflictMessage: (running) =>
        `Instance ${input.name} is already being created (job ${running.id})`,
      handler: (context) => runCreateJob(deps, plan, context),
    });
    return { job, masterPassword, adminPassword };
  } catch (error) {
    await rm(instanceDir(deps.root, input.name), { recursive: true, force: true });
    throw error;
  }
}

async function checkVersion(deps: InstanceDeps, input: CreateInput): Promise<void> {
  const installed = await readVersionRecord(versionDir(deps.root, input.version));
  if (installed.kind !== 'installed') {
    throw new AgentError(
      'conflict',
      409,
      `Odoo ${input.version} is not installed on this server; install it first`,
    );
  }
  if (input.edition === 'enterprise' && installed.record.edition !== 'enterprise') {
    throw new AgentError(
      'conflict',
      409,
      `Odoo ${input.version} is installed without Enterprise on this server; ` +
        'add the Enterprise modules to it first, or create a Community instance',
    );
  }
}

async function checkParent(deps: InstanceDeps, input: CreateInput): Promise<void> {
  if (input.parent === null) return;
  const parent = await readInstanceRecord(deps.root, input.parent);
  if (parent.kind !== 'found') {
    throw new AgentError(
      'conflict',
      409,
      `The parent instance "${input.parent}" does not exist on this server`,
    );
  }
  if (parent.record.type !== 'production') {
    throw new AgentError(
      'conflict',
      409,
      `"${input.parent}" is a staging instance; a staging instance's parent must be a production instance`,
    );
  }
}

async function checkNameFree(deps: InstanceDeps, name: string): Promise<void> {
  const taken = await stat(instanceDir(deps.root, name)).then(
    () => true,
    () => false,
  );
  if (taken) throw nameTaken(name);
}

/** PostgreSQL keeps 63 bytes of a name; a longer one would silently become another database. */
const MAX_DATABASE_NAME = 63;

export function databaseNameFor(deps: Pick<InstanceDeps, 'dbPrefix'>, name: string): string {
  const database = `${deps.dbPrefix}${name}`;
  if (database.length > MAX_DATABASE_NAME) {
    throw new AgentError(
      'bad_request',
      400,
      `name: with the database prefix "${deps.dbPrefix}" (ORDO_AGENT_DB_PREFIX) the instance name ` +
        `can be at most ${MAX_DATABASE_NAME - deps.dbPrefix.length} characters`,
    );
  }
  return database;
}

async function checkPostgres(deps: InstanceDeps, name: string): Promise<void> {
  if (deps.pg.user === 'postgres') {
    throw new AgentError(
      'unavailable',
      503,
      'Odoo refuses to connect to PostgreSQL as the superuser "postgres": set ORDO_AGENT_PG_URL ' +
        'to a role with LOGIN and CREATEDB (e.g. postgres://odoo@127.0.0.1:5432/postgres)',
    );
  }
  await ensureReachable(deps.pg);
  const exists = await databaseExists(deps.pg, name).catch((error: unknown) => {
    throw unreachable(deps.pg, error);
  });
  if (exists) {
    throw new AgentError(
      'conflict',
      409,
      `A database named "${name}" already exists in PostgreSQL at ${describeTarget(deps.pg)}; ` +
        'choose another name',
    );
  }
}

/** Reserves the name (its directory) and two ports (in its record); all or nothing. */
async function claim(deps: InstanceDeps, input: CreateInput): Promise<InstanceRecord> {
  const [httpPort, geventPort] = await allocatePorts({
    root: deps.root,
    logger: deps.logger,
    range: deps.portRange,
    host: deps.instanceHost,
    count: 2,
  });
  await mkdir(instancesDir(deps.root), { recursive: true });
  try {
    await mkdir(instanceDir(deps.root, input.name), { mode: 0o750 });
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'code' in error && error.code === 'EEXIST') {
      throw nameTaken(input.name);
    }
    throw error;
  }
  const record: InstanceRecord = {
    name: input.name,
    version: input.version,
    edition: input.edition,
    type: input.type,
    parent: input.parent,
    database: databaseNameFor(deps, input.name),
    httpPort: httpPort ?? null,
    geventPort: geventPort ?? null,
    url: `http://${deps.publicHost}:${httpPort ?? 0}`,
    createdAt: deps.now().toISOString(),
    adminLogin: input.adminLogin,
    phase: 'provisioning',
    desiredState: 'stopped',
    lastError: null,
  };
  try {
    await writeInstanceRecord(deps.root, record);
  } catch (error) {
    await rm(instanceDir(deps.root, input.name), { recursive: true, force: true });
    throw error;
  }
  return record;
}

function nameTaken(name: string): AgentError {
  return new AgentError(
    'conflict',
    409,
    `An instance named "${name}" already exists on this server`,
  );
}
