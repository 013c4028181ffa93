import type { ServerView } from '@ordo/protocol/panel';

type Searchable = Pick<ServerView, 'name' | 'agentUrl' | 'domain'>;

/** Keeps the servers whose name, agent URL or domain hold every word of the query. */
export function filterServers<T extends Searchable>(servers: readonly T[], query: string): T[] {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return [...servers];
  return servers.filter((server) => {
    const haystack = [server.name, server.agentUrl, server.domain].join(' ').toLowerCase();
    return terms.every((term) => haystack.includes(term));
  });
}
