export { checkInstanceName } from './check-name';
export { cloneInstance } from './clone';
export { getInstanceConfig, updateInstanceConfig } from './config';
export { createInstance } from './create';
export { runInstanceAction, type InstanceAction } from './lifecycle';
export { listInstances } from './list';
export { readInstanceLogs } from './logs';
export { removeInstance } from './remove';
export { revealInstanceSecret } from './reveal-secret';
