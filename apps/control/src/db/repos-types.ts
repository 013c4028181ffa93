import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type WebhookProviderColumn = 'github' | 'gitlab' | 'unknown';
export type WebhookResultColumn = 'accepted' | 'ignored' | 'refused' | 'duplicate';

export interface GitReposTable {
  /** uuid chosen by the control plane; the agent's repository id too. */
  id: string;
  server_id: string;
  instance_name: string;
  /** Never holds credentials (the protocol refuses them). */
  url: string;
  branch: string;
  /** Secret box output of the access token; null for public repositories. */
  token_ciphertext: string | null;
  webhook_secret_ciphertext: string;
  created_by_user_id: string | null;
  created_by: string | null;
  created_at: DefaultedTimestamp;
  /** The clone or pull job in flight; webhooks arriving meanwhile coalesce into `pull_pending`. */
  pull_job_id: string | null;
  /** Set while a process is asking the agent for a pull (its job id is not known yet). */
  pull_claimed_at: Timestamp | null;
  /** "Pull again when the running one ends": the next pull fetches the newest commit. */
  pull_pending: Generated<boolean>;
}

export interface GitWebhookDeliveriesTable {
  id: Generated<string>;
  repo_id: string;
  received_at: DefaultedTimestamp;
  provider: WebhookProviderColumn;
  event: string | null;
  /** X-GitHub-Delivery / X-Gitlab-Event-UUID as sent. */
  delivery_id: string | null;
  /** `<provider>:<delivery id>` on verified deliveries; unique per repository (replays). */
  replay_key: string | null;
  ref: string | null;
  commit_sha: string | null;
  result: WebhookResultColumn;
  http_status: number;
  message: string;
  job_id: string | null;
}

export interface GitReposTables {
  git_repos: GitReposTable;
  git_webhook_deliveries: GitWebhookDeliveriesTable;
}

export type GitRepoRow = Selectable<GitReposTable>;
export type NewGitRepo = Insertable<GitReposTable>;
export type GitWebhookDeliveryRow = Selectable<GitWebhookDeliveriesTable>;
export type NewGitWebhookDelivery = Insertable<GitWebhookDeliveriesTable>;
