import type { ServerView } from '@ordo/protocol/panel';
import { filterServers } from './server-filter';
import type { RowMessage } from './server-format';

export type RowActivity = 'ping' | 'sync';
type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

/** The Servers page's data: the list, the search box, and what each row is doing or last did. */
class ServersStore {
  servers = $state<ServerView[]>([]);
  status = $state<LoadStatus>('idle');
  loadError = $state<string | null>(null);
  query = $state('');
  activity = $state<Record<string, RowActivity | undefined>>({});
  messages = $state<Record<string, RowMessage | undefined>>({});
  readonly visible: ServerView[] = $derived(filterServers(this.servers, this.query));

  setActivity(id: string, activity: RowActivity | undefined): void {
    this.activity[id] = activity;
  }

  setMessage(id: string, message: RowMessage | undefined): void {
    this.messages[id] = message;
  }
}

export const serversStore = new ServersStore();
