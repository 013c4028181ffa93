import { describe, expect, it } from 'vitest';
import { filterOdooUsers } from './user-filter';

const USERS = [
  { id: 2, login: 'admin', name: 'Administrator' },
  { id: 7, login: 'jose@example.com', name: 'José Álvarez' },
  { id: 9, login: 'marc.demo', name: 'Marc Demo' },
];

describe('filterOdooUsers', () => {
  it('keeps everyone for a blank query', () => {
    expect(filterOdooUsers(USERS, '  ')).toEqual(USERS);
  });

  it('matches name or login, ignoring case and accents, every word', () => {
    expect(filterOdooUsers(USERS, 'JOSE').map((user) => user.id)).toEqual([7]);
    expect(filterOdooUsers(USERS, 'alvarez example').map((user) => user.id)).toEqual([7]);
    expect(filterOdooUsers(USERS, 'marc.demo').map((user) => user.id)).toEqual([9]);
    expect(filterOdooUsers(USERS, 'marc admin')).toEqual([]);
  });
});
