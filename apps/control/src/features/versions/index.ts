export { installVersion } from './install';
export { listVersions } from './list';
