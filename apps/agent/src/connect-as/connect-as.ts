import {
  LOGIN_LINK_TTL_SECONDS,
  type CreateLoginLinkInput,
  type LoginLink,
  type OdooUserList,
} from '@ordo/protocol';
import { AgentError } from '../errors';
import { startAndWait } from '../instances/instance-actions';
import type { InstanceDeps } from '../instances/instance-deps';
import { runtimeInstance } from '../instances/instance-paths';
import type { InstanceRecord } from '../instances/instance-record';
import { requireReadyInstance } from '../instances/require-instance';
import { mapRuntimeErrors } from '../instances/runtime-failure';
import { ensureConnectAddon } from './connect-addon';
import { withInstanceDb } from './instance-db';
import { linkTokenHash, newLinkToken, storeLoginLink } from './login-link-store';
import { activeInternalUsers, findOdooUser } from './odoo-users';

/** The http.py with `Session.finalize(env)` that the module relies on came with 16.0. */
const FIRST_SUPPORTED_MAJOR = 16;

export async function listOdooUsers(deps: InstanceDeps, name: string): Promise<OdooUserList> {
  const record = await requireReadyInstance(deps, name, 'list the Odoo users of');
  return { users: await withInstanceDb(deps, record, activeInternalUsers) };
}

/**
 * A single-use link logging its opener into Odoo as `input.uid`, valid LOGIN_LINK_TTL_SECONDS.
 * The instance must run; if its odoo.conf did not load Ordo's login module yet (an instance
 * older than the module), it is added and the instance restarted once, which the answer says.
 */
export async function createLoginLink(
  deps: InstanceDeps,
  name: string,
  input: CreateLoginLinkInput,
): Promise<LoginLink> {
  return deps.locks.run(name, async () => {
    const record = await requireReadyInstance(deps, name, 'connect as a user of');
    checkVersion(record);
    const { status } = await deps.resolveStatus(record);
    if (status !== 'running') {
      throw new AgentError(
        'conflict',
        409,
        `Instance "${name}" is ${status}: start it before you connect as one of its users`,
      );
    }
    const baseUrl = instanceBaseUrl(deps, record);

    const user = await withInstanceDb(deps, record, (client) => findOdooUser(client, input.uid));
    if (user === null) {
      throw new AgentError('not_found', 404, `No Odoo user with id ${input.uid} in "${name}"`);
    }
    if (input.login !== undefined && input.login !== user.login) {
      throw new AgentError(
        'bad_request',
        400,
        `Odoo user ${input.uid} of "${name}" is now "${user.login}", not "${input.login}": reload the list`,
      );
    }
    if (!user.active || user.share) {
      throw new AgentError(
        'bad_request',
        400,
        `Odoo user "${user.login}" of "${name}" is ${user.active ? 'not an internal user' : 'archived'}: only active internal users can be connected as`,
      );
    }

    const restarted = await loadModule(deps, record);
    const token = newLinkToken();
    const expiresAt = await withInstanceDb(deps, record, (client) =>
      storeLoginLink(client, {
        tokenHash: linkTokenHash(record.database, token),
        uid: user.id,
        createdBy: input.requestedBy,
        ttlSeconds: LOGIN_LINK_TTL_SECONDS,
      }),
    );
    deps.logger.info(
      {
        instance: name,
        uid: user.id,
        login: user.login,
        requestedBy: input.requestedBy,
        expiresAt,
        restarted,
      },
      'connect-as link created',
    );
    return {
      url: `${baseUrl}/ordo/connect/${token}`,
      expiresAt: expiresAt.toISOString(),
      restarted,
    };
  });
}

function checkVersion(record: InstanceRecord): void {
  const major = Number.parseFloat(record.version);
  if (Number.isFinite(major) && major < FIRST_SUPPORTED_MAJOR) {
    throw new AgentError(
      'conflict',
      409,
      `Connect as needs Odoo ${FIRST_SUPPORTED_MAJOR}.0 or newer; "${record.name}" runs ${record.version}`,
    );
  }
}

/** Where the admin's browser reaches the instance: its public URL, else host and port. */
function instanceBaseUrl(deps: InstanceDeps, record: InstanceRecord): string {
  if (record.url !== null) return record.url.replace(/\/+$/, '');
  if (record.httpPort === null) {
    throw new AgentError('conflict', 409, `Instance "${record.name}" has no URL or HTTP port`);
  }
  return `http://${deps.publicHost}:${record.httpPort}`;
}

/** Adds the module to odoo.conf when missing and restarts Odoo so it loads it. */
async function loadModule(deps: InstanceDeps, record: InstanceRecord): Promise<boolean> {
  if (!(await ensureConnectAddon(deps, record.name))) return false;
  await mapRuntimeErrors(() => deps.runtime.preflight({ start: true }));
  deps.logger.info(
    { instance: record.name },
    'restarting Odoo to load the connect-as module (once per instance)',
  );
  await mapRuntimeErrors(() => deps.runtime.stop(runtimeInstance(deps.root, record)));
  await startAndWait(deps, record);
  return true;
}
