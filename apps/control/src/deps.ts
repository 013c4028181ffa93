import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { SecretBox } from './crypto/secret-box';
import type { Database } from './db/types';
import type { JobHub } from './features/jobs/job-hub';
import type { MigrationHooks } from './features/migrations/deps';
import type { AgentClientFactory } from './features/servers/agent-client-factory';

/** Everything the HTTP app, the tRPC procedures and the feature verbs run on. */
export interface ControlDeps {
  db: Kysely<Database>;
  logger: Logger;
  secretBox: SecretBox;
  agentClientFactory: AgentClientFactory;
  /** Signals between the job follower and log subscriptions in this process. */
  jobHub: JobHub;
  /** The panel's public URL; https makes the session cookie Secure. Null: plain http on HOST:PORT. */
  publicUrl: string | null;
  /** Directory of the built panel; null or missing serves a "panel not built" page. */
  uiDir: string | null;
  now?: () => Date;
  /** The panel's address for links in emails: ORDO_PUBLIC_URL, else where the server listens. */
  panelUrl?: () => string;
  /** Tells the email worker that something was queued (absent: it finds it on its next poll). */
  emailWorker?: { wake(): void };
  /** Largest upload streamed on to an agent (ORDO_MAX_UPLOAD_BYTES); absent: the default. */
  maxUploadBytes?: number;
  /** Test seams of server migrations (see features/migrations/deps.ts). */
  migrationHooks?: MigrationHooks;
}
