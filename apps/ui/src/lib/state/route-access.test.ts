import type { Permission } from '@ordo/protocol/panel';
import { describe, expect, it } from 'vitest';
import { canOpen, matchRoute, navRoutes } from './routes';

const VIEWER: Permission[] = ['fleet.read', 'account.manage'];
const ADMIN: Permission[] = [
  'fleet.read',
  'account.manage',
  'users.manage',
  'settings.manage',
  'audit.read',
];

describe('pages by permission', () => {
  it('hides Users, Settings and the audit log from a viewer', () => {
    const ids = navRoutes(VIEWER).map((route) => route.id);
    expect(ids).not.toContain('users');
    expect(ids).not.toContain('settings');
    expect(ids).not.toContain('audit');
    expect(ids).toContain('servers');
  });

  it('shows them to an admin, and never lists the account page in the sidebar', () => {
    const ids = navRoutes(ADMIN).map((route) => route.id);
    expect(ids).toEqual(expect.arrayContaining(['users', 'settings', 'audit']));
    expect(ids).not.toContain('account');
  });

  it('lets anyone open their account page, and only managers the Users page', () => {
    const account = matchRoute('/account');
    const users = matchRoute('/users');
    if (account === null || users === null) throw new Error('missing routes');
    expect(canOpen(account, VIEWER)).toBe(true);
    expect(canOpen(users, VIEWER)).toBe(false);
    expect(canOpen(users, ['users.manage'])).toBe(true);
  });
});
