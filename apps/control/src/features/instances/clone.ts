import type { z } from 'zod';
import type { CloneInstancePanelInput, CloneInstanceResult } from '@ordo/protocol/panel';
import { findInstance } from '../../db/repositories/instances.repository';
import { ConflictError, ValidationError } from '../../errors';
import type { JobDeps, Requester } from '../jobs/deps';
import { callServerAgent } from '../servers/call-agent';
import { assertQuotaLeft } from '../settings/instance-quota';
import { checkInstanceName } from './check-name';
import { instanceNotFound } from './list';
import { recordProvisioning } from './record-provisioning';

export type CloneInstanceData = z.output<typeof CloneInstancePanelInput>;

/**
 * Starts an `instance.clone` job on the production instance's agent: a new staging instance
 * under it, filled with a live copy of its database and filestore, then neutralized. Production
 * keeps running and is never written to. The staging instance is recorded like a created one
 * (`provisioning`, its new passwords stored encrypted, its job mirrored).
 */
export async function cloneInstance(
  deps: JobDeps,
  input: CloneInstanceData,
  requester: Requester,
): Promise<CloneInstanceResult> {
  const { serverId, name: production, stagingName } = input;
  const source = await findInstance(deps.db, serverId, production);
  if (source === undefined) throw instanceNotFound(production);
  if (source.type !== 'production') {
    throw new ValidationError(
      `"${production}" is a staging instance: only production instances can be cloned to staging`,
    );
  }
  const name = await checkInstanceName(deps, serverId, stagingName);
  if (!name.available) {
    throw new ConflictError(name.message ?? `"${stagingName}" cannot be used`);
  }
  await assertQuotaLeft(deps.db);

  const accepted = await callServerAgent(deps, serverId, (client) =>
    client.cloneInstance(production, { name: stagingName }, { requestedBy: requester.email }),
  );
  deps.logger.info(
    {
      serverId,
      instance: production,
      staging: stagingName,
      jobId: accepted.job.id,
      requestedBy: requester.email,
    },
    'clone to staging started',
  );
  return recordProvisioning(
    deps,
    serverId,
    {
      name: stagingName,
      version: source.version,
      edition: source.edition,
      type: 'staging',
      parent: production,
    },
    accepted,
    requester,
  );
}
