import { describe, expect, it } from 'vitest';
import { deliveryMeta, isBranchDeletion, parsePush } from '../src/features/repos/webhook-payload';
import {
  githubSignature,
  verifyGithubSignature,
  verifyGitlabToken,
} from '../src/features/repos/webhook-verify';

const bytes = (text: string) => new TextEncoder().encode(text);
const headers = (values: Record<string, string>) => ({
  get: (name: string) => values[name.toLowerCase()],
});

describe('webhook signature verification', () => {
  // GitHub's documented example ("Validating webhook deliveries").
  const secret = "It's a Secret to Everybody";
  const payload = 'Hello, World!';
  const documented = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';

  it("verifies GitHub's documented example", () => {
    expect(githubSignature(secret, payload)).toBe(documented);
    expect(verifyGithubSignature(secret, bytes(payload), documented)).toBe(true);
    // Hex case does not matter; GitHub sends lower case.
    expect(
      verifyGithubSignature(
        secret,
        bytes(payload),
        documented.toUpperCase().replace('SHA256', 'sha256'),
      ),
    ).toBe(true);
  });

  it('refuses a changed body, another secret, a bad or missing header', () => {
    expect(verifyGithubSignature(secret, bytes('Hello, World?'), documented)).toBe(false);
    expect(verifyGithubSignature('another secret', bytes(payload), documented)).toBe(false);
    expect(verifyGithubSignature(secret, bytes(payload), undefined)).toBe(false);
    expect(verifyGithubSignature(secret, bytes(payload), '')).toBe(false);
    expect(verifyGithubSignature(secret, bytes(payload), documented.slice(7))).toBe(false);
    expect(verifyGithubSignature(secret, bytes(payload), `${documented}00`)).toBe(false);
    expect(verifyGithubSignature(secret, bytes(payload), documented.slice(0, -2))).toBe(false);
    expect(verifyGithubSignature(secret, bytes(payload), `sha1=${documented.slice(7)}`)).toBe(
      false,
    );
  });

  it('compares the GitLab token exactly', () => {
    expect(verifyGitlabToken('s3cret-token', 's3cret-token')).toBe(true);
    expect(verifyGitlabToken('s3cret-token', 's3cret-tokeN')).toBe(false);
    expect(verifyGitlabToken('s3cret-token', 's3cret-token ')).toBe(false);
    expect(verifyGitlabToken('s3cret-token', 's3cret')).toBe(false);
    expect(verifyGitlabToken('s3cret-token', '')).toBe(false);
    expect(verifyGitlabToken('s3cret-token', undefined)).toBe(false);
  });
});

describe('webhook payloads', () => {
  it('tells GitHub from GitLab by their headers', () => {
    expect(
      deliveryMeta(headers({ 'x-github-event': 'push', 'x-github-delivery': 'abc-1' })),
    ).toEqual({ provider: 'github', event: 'push', deliveryId: 'abc-1' });
    expect(
      deliveryMeta(
        headers({
          'x-gitlab-event': 'Push Hook',
          'x-gitlab-event-uuid': 'u-2',
          'x-gitlab-token': 't',
        }),
      ),
    ).toEqual({ provider: 'gitlab', event: 'Push Hook', deliveryId: 'u-2' });
    expect(deliveryMeta(headers({}))).toEqual({
      provider: 'unknown',
      event: null,
      deliveryId: null,
    });
  });

  it('reads ref and commit of a push, and refuses what is not one', () => {
    const sha = 'a'.repeat(40);
    expect(parsePush(bytes(JSON.stringify({ ref: 'refs/heads/main', after: sha })))).toEqual({
      ok: true,
      push: { ref: 'refs/heads/main', after: sha },
      commit: sha,
    });
    expect(parsePush(bytes('{"ref": '))).toMatchObject({ ok: false });
    expect(parsePush(bytes('[1, 2]'))).toMatchObject({ ok: false });
    expect(parsePush(new Uint8Array([0xff, 0xfe, 0x7b, 0x7d]))).toMatchObject({ ok: false });
    const deletion = parsePush(
      bytes(JSON.stringify({ ref: 'refs/heads/main', after: '0'.repeat(40) })),
    );
    expect(deletion.ok && isBranchDeletion(deletion.push)).toBe(true);
  });
});
