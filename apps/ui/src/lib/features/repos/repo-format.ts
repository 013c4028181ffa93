import type { RepoView, WebhookDeliveryView, WebhookResult } from '@ordo/protocol/panel';
import type { Tone } from '../../components/tone';

/** The first 7 characters, as Git hosts show commits; a dash when there is none yet. */
export function shortSha(sha: string | null): string {
  return sha === null ? '—' : sha.slice(0, 7);
}

/** The URL to paste into GitHub or GitLab: ORDO_PUBLIC_URL's, else this panel's own origin. */
export function webhookUrlOf(
  repo: Pick<RepoView, 'webhookUrl' | 'webhookPath'>,
  origin: string,
): string {
  return repo.webhookUrl ?? `${origin.replace(/\/+$/, '')}${repo.webhookPath}`;
}

/** `git@github.com:acme/addons.git` or `https://github.com/acme/addons` → `acme/addons`. */
export function repoShortName(url: string): string {
  const path = url.replace(/^[a-z]+:\/\/[^/]+/i, '').replace(/^[^@/]+@[^:]+:/, '');
  const trimmed = path.replace(/\.git$/, '').replace(/^\/+|\/+$/g, '');
  const parts = trimmed.split('/').filter(Boolean);
  return parts.slice(-2).join('/') || url;
}

export function describeDeliveryResult(result: WebhookResult): { label: string; tone: Tone } {
  switch (result) {
    case 'accepted':
      return { label: 'Accepted', tone: 'success' };
    case 'ignored':
      return { label: 'Ignored', tone: 'neutral' };
    case 'refused':
      return { label: 'Refused', tone: 'danger' };
    case 'duplicate':
      return { label: 'Duplicate', tone: 'warning' };
  }
}

/** What the agent did on the last pull: "a1b2c3d → e4f5a6b · updated sale_custom". */
export function describeLastPull(repo: Pick<RepoView, 'lastPull'>): string | null {
  const pull = repo.lastPull;
  if (pull === null) return null;
  const moved =
    pull.from === null || pull.from === pull.to
      ? `at ${shortSha(pull.to)}`
      : `${shortSha(pull.from)} → ${shortSha(pull.to)}`;
  const modules =
    pull.modules.length === 0 ? 'no module changed' : `updated ${pull.modules.join(', ')}`;
  return `${moved} · ${modules}`;
}

/** "push" / "Push Hook" → "Push"; a GitHub ping → "Ping". */
export function describeEvent(delivery: Pick<WebhookDeliveryView, 'event' | 'provider'>): string {
  const event = delivery.event ?? '—';
  const readable = event.replace(/ Hook$/, '');
  return readable.charAt(0).toUpperCase() + readable.slice(1);
}

/** The branch of a `refs/heads/…` ref, else the ref as it is. */
export function branchOfRef(ref: string | null): string | null {
  if (ref === null) return null;
  return ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : ref;
}
