import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { githubSignature } from '../../src/features/repos/webhook-verify';

const AnswerBody = z.object({
  ok: z.boolean(),
  result: z.string().nullable(),
  message: z.string(),
  jobId: z.string().optional(),
});

export interface DeliveryAnswer {
  status: number;
  body: z.infer<typeof AnswerBody>;
}

export interface GithubDelivery {
  event?: string;
  deliveryId?: string;
  /** The X-Hub-Signature-256 to send; default: the right one; null: none. */
  signature?: string | null;
  headers?: Record<string, string>;
}

/** What GitHub posts for a push: the payload fields a pull reads, plus some it ignores. */
export function pushPayload(branch: string, after: string): string {
  return JSON.stringify({
    ref: `refs/heads/${branch}`,
    before: '0'.repeat(40),
    after,
    repository: { full_name: 'acme/addons' },
    pusher: { name: 'dev' },
  });
}

async function post(
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<DeliveryAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/test',
      ...headers,
    },
    body,
  });
  return { status: response.status, body: AnswerBody.parse(await response.json()) };
}

/** Posts `body` as GitHub would, signed with `secret` unless told otherwise. */
export function deliverGithub(
  url: string,
  secret: string,
  body: string,
  options: GithubDelivery = {},
): Promise<DeliveryAnswer> {
  const signature =
    options.signature === undefined ? githubSignature(secret, body) : options.signature;
  return post(url, body, {
    'x-github-event': options.event ?? 'push',
    'x-github-delivery': options.deliveryId ?? randomUUID(),
    ...(signature === null ? {} : { 'x-hub-signature-256': signature }),
    ...options.headers,
  });
}

/** Posts `body` as GitLab would, with `token` (null: none) as X-Gitlab-Token. */
export function deliverGitlab(
  url: string,
  token: string | null,
  body: string,
  options: { event?: string; deliveryId?: string } = {},
): Promise<DeliveryAnswer> {
  return post(url, body, {
    'x-gitlab-event': options.event ?? 'Push Hook',
    'x-gitlab-event-uuid': options.deliveryId ?? randomUUID(),
    ...(token === null ? {} : { 'x-gitlab-token': token }),
  });
}
