import type { Kysely } from 'kysely';
import type { SecretBox } from '../../crypto/secret-box';
import type { Database } from '../../db/types';
import type { AgentClientFactory } from './agent-client-factory';

export interface ServerDeps {
  db: Kysely<Database>;
  secretBox: SecretBox;
  agentClientFactory: AgentClientFactory;
  now?: () => Date;
}
