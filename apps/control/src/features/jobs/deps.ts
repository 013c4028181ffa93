import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { SecretBox } from '../../crypto/secret-box';
import type { Database } from '../../db/types';
import type { AgentClientFactory } from '../servers/agent-client-factory';
import type { JobHub } from './job-hub';

export interface JobDeps {
  db: Kysely<Database>;
  logger: Logger;
  secretBox: SecretBox;
  agentClientFactory: AgentClientFactory;
  jobHub: JobHub;
  now?: () => Date;
}

/** Who asked for a job from the panel. */
export interface Requester {
  userId: string;
  email: string;
}
