import type { LoginLink } from '@ordo/protocol';
import type { ConnectAsInput } from '@ordo/protocol/panel';
import type { JobDeps, Requester } from '../jobs/deps';
import { callServerAgent } from '../servers/call-agent';

/**
 * A single-use link that opens Odoo as the chosen user, for the admin's browser: the agent
 * builds it from the instance's URL. The agent checks `login` is still that user's, so the
 * audit entry (which keeps the input) names the account the link really opens. The link itself
 * is a bearer secret for two minutes: it is neither logged nor audited.
 */
export async function connectAs(
  deps: JobDeps,
  input: ConnectAsInput,
  requester: Requester,
): Promise<LoginLink> {
  const link = await callServerAgent(deps, input.serverId, (client) =>
    client.createLoginLink(input.name, {
      uid: input.uid,
      login: input.login,
      requestedBy: requester.email,
    }),
  );
  deps.logger.info(
    {
      serverId: input.serverId,
      instance: input.name,
      odooLogin: input.login,
      requestedBy: requester.email,
      restarted: link.restarted,
    },
    'connect-as link created',
  );
  return link;
}
