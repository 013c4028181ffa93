import { z } from 'zod';

export type Provider = 'github' | 'gitlab' | 'unknown';

/** The request headers a delivery is judged by (lower-case names). */
export interface DeliveryHeaders {
  get(name: string): string | undefined;
}

export interface DeliveryMeta {
  provider: Provider;
  event: string | null;
  deliveryId: string | null;
}

const MAX_HEADER_CHARS = 200;

function header(headers: DeliveryHeaders, name: string): string | null {
  const value = headers.get(name)?.trim();
  if (value === undefined || value === '') return null;
  return value.slice(0, MAX_HEADER_CHARS);
}

/** Who sent it, by the headers each host always sets. */
export function deliveryMeta(headers: DeliveryHeaders): DeliveryMeta {
  if (headers.get('x-github-event') !== undefined || headers.get('x-hub-signature-256')) {
    return {
      provider: 'github',
      event: header(headers, 'x-github-event'),
      deliveryId: header(headers, 'x-github-delivery'),
    };
  }
  if (headers.get('x-gitlab-event') !== undefined || headers.get('x-gitlab-token')) {
    return {
      provider: 'gitlab',
      event: header(headers, 'x-gitlab-event'),
      deliveryId: header(headers, 'x-gitlab-event-uuid'),
    };
  }
  return { provider: 'unknown', event: null, deliveryId: null };
}

/** Whether the event is a branch push: GitHub `push`, GitLab `Push Hook` (or a system hook's). */
export function isPushEvent(meta: DeliveryMeta): boolean {
  if (meta.provider === 'github') return meta.event === 'push';
  if (meta.provider === 'gitlab') return meta.event === 'Push Hook' || meta.event === 'System Hook';
  return false;
}

/** The part of a GitHub or GitLab push payload a pull needs; both name them alike. */
const PushPayload = z.object({
  ref: z.string().max(1000),
  after: z.string().max(100).optional(),
  /** GitHub sets it when the push deleted the branch. */
  deleted: z.boolean().optional(),
  /** GitLab system hooks carry pushes among other kinds. */
  object_kind: z.string().optional(),
});
export type PushPayload = z.infer<typeof PushPayload>;

export type ParsedPush =
  { ok: true; push: PushPayload; commit: string | null } | { ok: false; message: string };

const NULL_SHA = /^0+$/;

/** The push described by a verified body, or why it is not one. */
export function parsePush(rawBody: Uint8Array): ParsedPush {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(rawBody));
  } catch {
    return { ok: false, message: 'The body is not valid JSON (use Content type application/json)' };
  }
  const parsed = PushPayload.safeParse(json);
  if (!parsed.success) {
    return { ok: false, message: 'The body is not a push event payload: it has no "ref"' };
  }
  const after = parsed.data.after;
  const commit = after !== undefined && /^[0-9a-f]{40,64}$/.test(after) ? after : null;
  return { ok: true, push: parsed.data, commit };
}

/** A push that deleted the branch: nothing to pull. */
export function isBranchDeletion(push: PushPayload): boolean {
  return push.deleted === true || (push.after !== undefined && NULL_SHA.test(push.after));
}
