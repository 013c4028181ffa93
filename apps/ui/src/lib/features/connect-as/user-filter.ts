import type { OdooUser } from '@ordo/protocol';

/** Folds case and accents, so "jose" finds "José". */
function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The users whose name or login contains every word of `query` (all of them when blank). */
export function filterOdooUsers(users: readonly OdooUser[], query: string): OdooUser[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...users];
  return users.filter((user) => {
    const haystack = fold(`${user.name} ${user.login}`);
    return words.every((word) => haystack.includes(word));
  });
}
