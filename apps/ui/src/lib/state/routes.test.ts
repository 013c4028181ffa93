import { describe, expect, it } from 'vitest';
import { matchRoute, routePath } from './routes';

describe('matchRoute', () => {
  it.each([
    ['/', 'dashboard'],
    ['/servers', 'servers'],
    ['/servers/', 'servers'],
    ['/instances', 'instances'],
    ['/jobs', 'jobs'],
    ['/versions/', 'versions'],
    ['/settings//', 'settings'],
  ])('maps %s to %s', (path, id) => {
    expect(matchRoute(path)?.id).toBe(id);
  });

  it('treats an empty path as the dashboard', () => {
    expect(matchRoute('')?.id).toBe('dashboard');
  });

  it.each(['/nope', '/servers/123', '/Servers'])('has no page for %s', (path) => {
    expect(matchRoute(path)).toBeNull();
  });
});

describe('routePath', () => {
  it('gives the URL of a page', () => {
    expect(routePath('servers')).toBe('/servers');
    expect(routePath('dashboard')).toBe('/');
  });
});
