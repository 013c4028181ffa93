import { z } from 'zod';
import { RepoBranch, RepoPullSummary, RepoToken, RepoUrl } from '../repos';
import { InstanceRef } from './instances';
import { JobView } from './jobs';

/** `repos.add` input: the instance, the repository to clone, and a token for private ones. */
export const AddRepoPanelInput = InstanceRef.extend({
  url: z.string().trim().pipe(RepoUrl),
  branch: z.string().trim().pipe(RepoBranch).default('main'),
  /** Only for private repositories; stored encrypted, never shown again. */
  token: RepoToken.optional(),
});
export type AddRepoPanelInput = z.input<typeof AddRepoPanelInput>;

/** One repository of one instance (`repos.pull`, `repos.remove`, `repos.revealSecret`). */
export const RepoRef = InstanceRef.extend({ repoId: z.uuid() });
export type RepoRef = z.input<typeof RepoRef>;

export const WebhookProvider = z.enum(['github', 'gitlab', 'unknown']);
export type WebhookProvider = z.infer<typeof WebhookProvider>;

/**
 * What became of a webhook delivery: `accepted` (a pull runs or follows the running one),
 * `ignored` (ping, another branch, not a push), `refused` (bad signature, malformed body, the
 * agent could not start the pull), `duplicate` (a delivery id already received).
 */
export const WebhookResult = z.enum(['accepted', 'ignored', 'refused', 'duplicate']);
export type WebhookResult = z.infer<typeof WebhookResult>;

export const WebhookDeliveryView = z.object({
  id: z.string(),
  repoId: z.string(),
  receivedAt: z.string(),
  provider: WebhookProvider,
  event: z.string().nullable(),
  deliveryId: z.string().nullable(),
  ref: z.string().nullable(),
  commit: z.string().nullable(),
  result: WebhookResult,
  httpStatus: z.number().int(),
  message: z.string(),
  jobId: z.string().nullable(),
});
export type WebhookDeliveryView = z.infer<typeof WebhookDeliveryView>;

/** `repos.deliveries` input: newest first, of one repository or of every one of the instance. */
export const RepoDeliveriesInput = InstanceRef.extend({
  repoId: z.uuid().optional(),
  result: WebhookResult.optional(),
  limit: z.number().int().min(1).max(500).default(50),
});
export type RepoDeliveriesInput = z.input<typeof RepoDeliveriesInput>;

/**
 * Whether the agent has the checkout: `present`, `missing` (its clone failed or it was removed
 * on the server), `unknown` (the agent did not answer).
 */
export const RepoAgentState = z.enum(['present', 'missing', 'unknown']);
export type RepoAgentState = z.infer<typeof RepoAgentState>;

/** A repository as the panel shows it: what the control plane keeps plus the agent's checkout. */
export const RepoView = z.object({
  id: z.string(),
  serverId: z.string(),
  instanceName: z.string(),
  url: z.string(),
  branch: z.string(),
  hasToken: z.boolean(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  /** `/hooks/git/<id>`: the panel prefixes its own origin when `webhookUrl` is null. */
  webhookPath: z.string(),
  /** The full webhook URL when ORDO_PUBLIC_URL is set. */
  webhookUrl: z.string().nullable(),
  agentState: RepoAgentState,
  commit: z.string().nullable(),
  lastPullAt: z.string().nullable(),
  lastPull: RepoPullSummary.nullable(),
  path: z.string().nullable(),
  /** The clone or pull running now, for live progress. */
  activeJob: JobView.nullable(),
  /** A push arrived during the running pull: one more pull follows it. */
  pullQueued: z.boolean(),
});
export type RepoView = z.infer<typeof RepoView>;

/** `repos.list` answer; `agentError` says why the agent's side (commit, last pull) is missing. */
export const RepoListResult = z.object({
  repos: z.array(RepoView),
  agentError: z.string().nullable(),
});
export type RepoListResult = z.infer<typeof RepoListResult>;

export const AddRepoResult = z.object({ repo: RepoView, job: JobView });
export type AddRepoResult = z.infer<typeof AddRepoResult>;

export const PullRepoResult = z.object({ job: JobView });
export type PullRepoResult = z.infer<typeof PullRepoResult>;

export const RevealWebhookSecretResult = z.object({ value: z.string() });
export type RevealWebhookSecretResult = z.infer<typeof RevealWebhookSecretResult>;
