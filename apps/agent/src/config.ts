export { ConfigError, formatConfigError, type ConfigIssue } from './config/config-error';
export { loadAgentConfig, type AgentConfig, type Environment } from './config/load-config';
export type { ReadTextFile } from './config/read-text-file';
export { LogLevel, MIN_TOKEN_LENGTH } from './config/settings';
