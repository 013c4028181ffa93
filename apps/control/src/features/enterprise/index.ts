export { generateSshKey, getSshKey, testSshKey } from './ssh-key';
export { upgradeEnterprise } from './upgrade';
