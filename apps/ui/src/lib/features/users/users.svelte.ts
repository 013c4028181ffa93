import type { EmailView, Role, ServerView, UserView } from '@ordo/protocol/panel';

type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

/** The Users page's data: accounts (with their filters), servers to limit them to, emails. */
class UsersStore {
  users = $state<UserView[]>([]);
  status = $state<LoadStatus>('idle');
  loadError = $state<string | null>(null);
  search = $state('');
  role = $state<Role | ''>('');
  servers = $state<ServerView[]>([]);
  emails = $state<EmailView[]>([]);
  emailsStatus = $state<LoadStatus>('idle');
}

export const usersStore = new UsersStore();
