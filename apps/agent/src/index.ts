export { createAgentApp, type AgentAppDeps } from './app';
export {
  ConfigError,
  formatConfigError,
  loadAgentConfig,
  type AgentConfig,
  type ConfigIssue,
  type Environment,
} from './config';
export { AgentError } from './errors';
export { createLogger } from './logger';
export { AgentStartError, startAgent, type RunningAgent } from './server';
export { AGENT_VERSION } from './version';
