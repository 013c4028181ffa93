import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { SshKeyState } from '@ordo/protocol';
import { AgentError } from '../errors';
import { isNotFound } from '../system/write-file-atomic';
import { SSH_KEY_LOCK, type SshKeyDeps } from './ssh-key-deps';
import { sshKeyPaths } from './ssh-key-paths';

/** The public half of the Enterprise key, or null when none was generated yet. */
export async function readSshKey(deps: SshKeyDeps): Promise<SshKeyState> {
  return deps.locks.run(SSH_KEY_LOCK, () => readSshKeyUnlocked(deps.root));
}

/** {@link readSshKey} for callers already holding the `ssh-key` lock. */
export async function readSshKeyUnlocked(root: string): Promise<SshKeyState> {
  const paths = sshKeyPaths(root);
  let publicKey: string;
  try {
    // Both halves must be there: a public key without its private key is of no use.
    const [text] = await Promise.all([readFile(paths.publicKey, 'utf8'), stat(paths.privateKey)]);
    publicKey = text.trim();
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
  const created = await stat(paths.privateKey);
  return {
    publicKey,
    fingerprint: fingerprintOf(publicKey),
    createdAt: created.mtime.toISOString(),
  };
}

/** Whether the key exists; a clear 409 otherwise, for the routes that need it. */
export async function requireSshKey(root: string): Promise<void> {
  if ((await readSshKeyUnlocked(root)) !== null) return;
  throw new AgentError(
    'conflict',
    409,
    'This server has no Enterprise SSH key yet: generate one in Settings → Enterprise SSH key, ' +
      'add it to a GitHub account with access to odoo/enterprise, then try again',
  );
}

/** OpenSSH's SHA256 fingerprint: the hash of the key blob, base64 without padding. */
export function fingerprintOf(publicKey: string): string {
  const blob = publicKey.split(/\s+/)[1];
  if (blob === undefined) {
    throw new AgentError('internal', 500, 'The stored public key is not an OpenSSH key line');
  }
  const digest = createHash('sha256').update(Buffer.from(blob, 'base64')).digest('base64');
  return `SHA256:${digest.replace(/=+$/, '')}`;
}
