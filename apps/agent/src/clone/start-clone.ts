import {
  CreateInstanceInput,
  type CloneInstanceInput,
  type CreateInstanceAccepted,
} from '@ordo/protocol';
import type { InstanceDeps } from '../instances/instance-deps';
import { requireReadyInstance } from '../instances/require-instance';
import { startInstanceCreate } from '../instances/start-create';
import { cloneInto } from './clone-database';

/**
 * Starts an `instance.clone` job: a staging instance under `source`, created by the same
 * lifecycle code as every other instance (name, ports, odoo.conf, undo on failure) but filled with a
 * live copy of production. The staging admin gets a new password, sent this once.
 */
export async function startClone(
  deps: InstanceDeps,
  source: string,
  input: CloneInstanceInput,
  requestedBy: string | null,
): Promise<CreateInstanceAccepted> {
  const record = await requireReadyInstance(deps, source, 'clone');
  const create = CreateInstanceInput.parse({
    name: input.name,
    version: record.version,
    edition: record.edition,
    adminLogin: record.adminLogin,
    type: 'staging',
    parent: record.name,
  });
  return startInstanceCreate(deps, create, requestedBy, { populate: cloneInto(deps, record) });
}
