import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const GITHUB_PREFIX = 'sha256=';

/**
 * GitHub's `X-Hub-Signature-256`: `sha256=` + hex HMAC-SHA256 of the raw body keyed with the
 * webhook secret. Compared in constant time over the digests, never as strings.
 */
export function verifyGithubSignature(
  secret: string,
  rawBody: Uint8Array,
  header: string | undefined,
): boolean {
  if (header === undefined || !header.startsWith(GITHUB_PREFIX)) return false;
  const hex = header.slice(GITHUB_PREFIX.length);
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(hex, 'hex'));
}

/**
 * GitLab's `X-Gitlab-Token` is the secret itself. Hashing both sides first gives equal-length
 * inputs to the constant-time comparison, so even the secret's length does not leak.
 */
export function verifyGitlabToken(secret: string, header: string | undefined): boolean {
  if (header === undefined || header === '') return false;
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(secret), digest(header));
}

/** The header GitHub would send for this body (tests and documentation). */
export function githubSignature(secret: string, rawBody: Uint8Array | string): string {
  return GITHUB_PREFIX + createHmac('sha256', secret).update(rawBody).digest('hex');
}
