import { type AgentClient, createAgentClient } from '@ordo/protocol';

export interface AgentTarget {
  agentUrl: string;
  token: string;
}

export type AgentClientFactory = (target: AgentTarget) => AgentClient;

export function createAgentClientFactory(options: { timeoutMs: number }): AgentClientFactory {
  return ({ agentUrl, token }) =>
    createAgentClient({ baseUrl: agentUrl, token, timeoutMs: options.timeoutMs });
}
