import type { SshKeyState, SshKeyTestResult, SshPublicKey } from '@ordo/protocol';
import type { Logger } from 'pino';
import type { ServerDeps } from '../servers/deps';
import { callServerAgent } from '../servers/call-agent';

/** The server's Enterprise key (public half), or null before one was generated. */
export function getSshKey(deps: ServerDeps, serverId: string): Promise<SshKeyState> {
  return callServerAgent(deps, serverId, (client) => client.getSshKey());
}

/** Generates or replaces the server's Enterprise key; the old one stops working. */
export async function generateSshKey(
  deps: ServerDeps & { logger: Logger },
  serverId: string,
): Promise<SshPublicKey> {
  const key = await callServerAgent(deps, serverId, (client) => client.generateSshKey());
  deps.logger.info({ serverId, fingerprint: key.fingerprint }, 'enterprise ssh key generated');
  return key;
}

/** Asks the agent whether GitHub recognises its key. */
export function testSshKey(deps: ServerDeps, serverId: string): Promise<SshKeyTestResult> {
  return callServerAgent(deps, serverId, (client) => client.testSshKey());
}
