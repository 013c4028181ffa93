import { z } from 'zod';

/**
 * The agent's Enterprise deploy key (`GET/POST /v1/ssh-key`): an ed25519 pair whose public half
 * the admin adds to a GitHub account with access to odoo/enterprise. The private half never
 * leaves the agent's machine.
 */
export const SshPublicKey = z.object({
  /** One OpenSSH line: `ssh-ed25519 AAAA… ordo@<hostname>`. */
  publicKey: z.string().startsWith('ssh-ed25519 '),
  /** As GitHub shows it: `SHA256:` + unpadded base64. */
  fingerprint: z.string().startsWith('SHA256:'),
  createdAt: z.iso.datetime({ offset: true }),
});
export type SshPublicKey = z.infer<typeof SshPublicKey>;

/** `GET /v1/ssh-key`: the key, or null before one was generated. */
export const SshKeyState = SshPublicKey.nullable();
export type SshKeyState = z.infer<typeof SshKeyState>;

/**
 * `POST /v1/ssh-key/test`: whether GitHub (or the configured SSH target) recognises the key.
 * `message` is what the server said, e.g. "Hi octocat! You've successfully authenticated, but
 * GitHub does not provide shell access." or "git@github.com: Permission denied (publickey).".
 */
export const SshKeyTestResult = z.object({
  ok: z.boolean(),
  message: z.string(),
  /** Where the agent connected, e.g. `git@github.com`. */
  target: z.string(),
});
export type SshKeyTestResult = z.infer<typeof SshKeyTestResult>;
