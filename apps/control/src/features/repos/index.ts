export { addRepo } from './add';
export { listRepoDeliveries } from './deliveries';
export type { RepoDeps } from './deps';
export { listRepos } from './list';
export { pullRepoNow } from './pull';
export { onRepoJobFinished } from './pull-scheduler';
export { receiveGitWebhook, type WebhookAnswer } from './receive-webhook';
export { removeRepo } from './remove';
export { revealWebhookSecret } from './reveal-secret';
