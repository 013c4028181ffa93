import type { InstanceSecretKind } from '@ordo/protocol/panel';
import { findInstanceSecret } from '../../db/repositories/instance-secrets.repository';
import { NotFoundError } from '../../errors';
import type { JobDeps } from '../jobs/deps';
import { getServerOrThrow } from '../servers/internal';

const LABEL: Record<InstanceSecretKind, string> = {
  master: 'master password',
  admin: 'admin password',
};

/** The stored password, decrypted for the panel's reveal/copy. */
export async function revealInstanceSecret(
  deps: Pick<JobDeps, 'db' | 'secretBox' | 'logger'>,
  ref: { serverId: string; name: string; secret: InstanceSecretKind },
  requester: { email: string },
): Promise<{ value: string }> {
  await getServerOrThrow(deps.db, ref.serverId);
  const ciphertext = await findInstanceSecret(deps.db, {
    serverId: ref.serverId,
    instanceName: ref.name,
    kind: ref.secret,
  });
  if (ciphertext === undefined) {
    throw new NotFoundError(
      `No ${LABEL[ref.secret]} is stored for instance "${ref.name}": only instances created from this panel have one`,
    );
  }
  deps.logger.info(
    { serverId: ref.serverId, instance: ref.name, secret: ref.secret, by: requester.email },
    'instance secret revealed',
  );
  return { value: deps.secretBox.decrypt(ciphertext) };
}
