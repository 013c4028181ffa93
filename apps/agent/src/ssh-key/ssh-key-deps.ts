import type { Logger } from 'pino';
import type { Environment } from '../config';
import type { KeyedMutex } from '../runtime/keyed-mutex';

/** What the Enterprise key code works with; built once in app.ts. */
export interface SshKeyDeps {
  root: string;
  logger: Logger;
  env: Environment;
  /** The key's comment is `ordo@<hostname>`. */
  hostname: string;
  /** ORDO_ENTERPRISE_SSH_TEST_TARGET: `user@host[:port]`, `git@github.com` by default. */
  testTarget: string;
  /** Key generation, reads and uses take the `ssh-key` lock, so no one sees half a pair. */
  locks: KeyedMutex;
}

export const SSH_KEY_LOCK = 'ssh-key';
