export { ConfigError, loadControlConfig, type ControlConfig } from './config';
export { startControl, type RunningControl, type StartControlOptions } from './start-control';
