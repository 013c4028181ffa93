import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { SecretBox } from './crypto/secret-box';
import type { Database } from './db/types';
import type { AgentClientFactory } from './features/servers/agent-client-factory';

/** Everything the HTTP app, the tRPC procedures and the feature verbs run on. */
export interface ControlDeps {
  db: Kysely<Database>;
  logger: Logger;
  secretBox: SecretBox;
  agentClientFactory: AgentClientFactory;
  /** The panel's public URL; https makes the session cookie Secure. Null: plain http on HOST:PORT. */
  publicUrl: string | null;
  /** Directory of the built panel; null or missing serves a "panel not built" page. */
  uiDir: string | null;
  now?: () => Date;
}
