import { randomBytes } from 'node:crypto';
import { chmod, mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { SshPublicKey } from '@ordo/protocol';
import { AgentError } from '../errors';
import { childEnvironment } from '../system/child-environment';
import { ProcessStartError, runProcess } from '../system/run-process';
import { readSshKeyUnlocked } from './read-ssh-key';
import { SSH_KEY_LOCK, type SshKeyDeps } from './ssh-key-deps';
import { sshKeyPaths } from './ssh-key-paths';

const KEYGEN_TIMEOUT_MS = 30_000;

/**
 * Generates the Enterprise key pair, replacing the previous one: ssh-keygen writes a temporary
 * pair next to it, which is then renamed over the old files, so a failure keeps the old key.
 * The private key (0600, in a 0700 directory) is never read back, logged or answered.
 */
export async function generateSshKey(deps: SshKeyDeps): Promise<SshPublicKey> {
  return deps.locks.run(SSH_KEY_LOCK, async () => {
    const paths = sshKeyPaths(deps.root);
    await mkdir(paths.dir, { recursive: true, mode: 0o700 });
    await chmod(paths.dir, 0o700);
    const temp = join(paths.dir, `.id_ed25519.${randomBytes(6).toString('hex')}.tmp`);
    try {
      const result = await runProcess(
        'ssh-keygen',
        ['-q', '-t', 'ed25519', '-N', '', '-C', `ordo@${deps.hostname}`, '-f', temp],
        {
          env: childEnvironment(deps.env, { LC_ALL: 'C' }),
          signal: AbortSignal.timeout(KEYGEN_TIMEOUT_MS),
        },
      );
      if (result.code !== 0) {
        const detail = result.stderrTail.slice(-3).join(' ') || `exit ${result.code ?? 'signal'}`;
        throw new AgentError('internal', 500, `ssh-keygen could not create the key: ${detail}`);
      }
      await chmod(temp, 0o600);
      // Private half first: whoever reads the pair next finds the new private key with it.
      await rename(temp, paths.privateKey);
      await rename(`${temp}.pub`, paths.publicKey);
    } catch (error) {
      await rm(temp, { force: true });
      await rm(`${temp}.pub`, { force: true });
      if (error instanceof ProcessStartError) {
        throw new AgentError(
          'unavailable',
          503,
          'ssh-keygen is not installed on this server: install the openssh-client package',
          { cause: error },
        );
      }
      throw error;
    }
    const key = await readSshKeyUnlocked(deps.root);
    if (key === null) throw new AgentError('internal', 500, 'The new SSH key vanished');
    deps.logger.info({ fingerprint: key.fingerprint }, 'enterprise ssh key generated');
    return key;
  });
}
