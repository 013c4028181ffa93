export { listInstances } from './list';
