import type { VersionListView } from '@ordo/protocol/panel';

type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

/** The Versions page's data: which server is shown, and its versions. */
class VersionsStore {
  /** The chosen server; kept when the user leaves the page and comes back. */
  serverId = $state<string | null>(null);
  list = $state<VersionListView | null>(null);
  status = $state<LoadStatus>('idle');
  loadError = $state<string | null>(null);
  refreshError = $state<string | null>(null);
}

export const versionsStore = new VersionsStore();
