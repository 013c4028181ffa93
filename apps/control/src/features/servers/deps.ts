import type { Kysely } from 'kysely';
import type { SecretBox } from '../../crypto/secret-box';
import type { Database } from '../../db/types';
import type { JobHub } from '../jobs/job-hub';
import type { AgentClientFactory } from './agent-client-factory';

export interface ServerDeps {
  db: Kysely<Database>;
  secretBox: SecretBox;
  agentClientFactory: AgentClientFactory;
  /** Wakes the job follower when sync imports jobs; without it the follower's scan finds them. */
  jobHub?: JobHub;
  now?: () => Date;
}
