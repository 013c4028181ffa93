import { join } from 'node:path';

/** `<root>/ssh`: the Enterprise deploy key and the host keys it has met (mode 0700). */
export function sshDir(root: string): string {
  return join(root, 'ssh');
}

export function sshKeyPaths(root: string) {
  const dir = sshDir(root);
  return {
    dir,
    privateKey: join(dir, 'id_ed25519'),
    publicKey: join(dir, 'id_ed25519.pub'),
    /** Host keys seen on first connection (accept-new), kept apart from the user's own. */
    knownHosts: join(dir, 'known_hosts'),
  };
}
