export * from './errors';
export * from './health';
export * from './info';
export * from './instances';
export * from './client/agent-client';
export * from './client/agent-client-error';
