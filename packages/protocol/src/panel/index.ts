export * from './auth';
export * from './servers';
