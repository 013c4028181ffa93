import type { RevealWebhookSecretResult } from '@ordo/protocol/panel';
import type { RepoDeps } from './deps';
import { getRepoOfInstance } from './internal';

/** The webhook secret, decrypted for the panel's reveal/copy (the call itself is audited). */
export async function revealWebhookSecret(
  deps: Pick<RepoDeps, 'db' | 'secretBox' | 'logger'>,
  ref: { serverId: string; name: string; repoId: string },
  requester: { email: string },
): Promise<RevealWebhookSecretResult> {
  const row = await getRepoOfInstance(deps.db, ref);
  deps.logger.info({ repoId: row.id, by: requester.email }, 'webhook secret revealed');
  return { value: deps.secretBox.decrypt(row.webhook_secret_ciphertext) };
}
