import { sshKeyPaths } from './ssh-key-paths';

/**
 * Options of every ssh the agent runs with the Enterprise key: only that key (not whatever an
 * ssh-agent or ~/.ssh offers), never a prompt, the host key recorded on first use in the
 * agent's own known_hosts, and a bounded wait.
 */
export function enterpriseSshOptions(root: string): string[] {
  const paths = sshKeyPaths(root);
  return [
    '-i',
    paths.privateKey,
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    'BatchMode=yes',
    '-o',
    'StrictHostKeyChecking=accept-new',
    '-o',
    `UserKnownHostsFile=${paths.knownHosts}`,
    '-o',
    'ConnectTimeout=10',
  ];
}

/**
 * GIT_SSH_COMMAND for git: git hands it to `sh -c`, so each word is single-quoted. It travels
 * in the environment of git, never in its argument list.
 */
export function gitSshCommand(root: string): string {
  return ['ssh', ...enterpriseSshOptions(root)].map(shellQuote).join(' ');
}

function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_./=:@-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export interface SshTarget {
  user: string;
  host: string;
  port: number | null;
}

/** `user@host[:port]` (checked by the settings schema) as its parts. */
export function parseSshTarget(target: string): SshTarget {
  const at = target.indexOf('@');
  const user = target.slice(0, at);
  const rest = target.slice(at + 1);
  const colon = rest.lastIndexOf(':');
  if (colon === -1) return { user, host: rest, port: null };
  return { user, host: rest.slice(0, colon), port: Number(rest.slice(colon + 1)) };
}
