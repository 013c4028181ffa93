export { createAgentClientFactory, type AgentClientFactory } from './agent-client-factory';
export { createServer } from './create';
export type { ServerDeps } from './deps';
export { listServers } from './list';
export { pingServer } from './ping';
export { removeServer } from './remove';
export { syncServer } from './sync';
export { updateServerSettings } from './update';
export { LOCAL_SERVER_NAME, upsertLocalServer } from './upsert-local';
