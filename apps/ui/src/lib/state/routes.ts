import type { Permission } from '@ordo/protocol/panel';

/**
 * Every page of the panel. `permission`: shown in the sidebar (and opened) only for accounts
 * holding it; `nav: false`: reached from elsewhere (the account menu).
 */
export const ROUTES = [
  { id: 'dashboard', path: '/', label: 'Dashboard' },
  { id: 'instances', path: '/instances', label: 'Instances' },
  { id: 'versions', path: '/versions', label: 'Versions' },
  { id: 'users', path: '/users', label: 'Users', permission: 'users.manage' },
  { id: 'settings', path: '/settings', label: 'Settings', permission: 'settings.manage' },
  { id: 'servers', path: '/servers', label: 'Servers' },
  { id: 'jobs', path: '/jobs', label: 'Jobs' },
  { id: 'audit', path: '/audit', label: 'Audit log', permission: 'audit.read' },
  { id: 'account', path: '/account', label: 'Your account', nav: false },
] as const satisfies readonly {
  id: string;
  path: string;
  label: string;
  permission?: Permission;
  nav?: false;
}[];

export type RouteId = (typeof ROUTES)[number]['id'];
export type Route = (typeof ROUTES)[number];

/** The page for a URL path; unknown paths get `null` so the panel can say "not found". */
export function matchRoute(pathname: string): Route | null {
  const normalized = pathname.replace(/\/+$/, '') || '/';
  return ROUTES.find((route) => route.path === normalized) ?? null;
}

export function routePath(id: RouteId): string {
  const route = ROUTES.find((candidate) => candidate.id === id);
  return route ? route.path : '/';
}

/** Whether an account with these permissions may open the page. */
export function canOpen(route: Route, permissions: readonly Permission[]): boolean {
  return !('permission' in route) || permissions.includes(route.permission);
}

/** The pages of the sidebar for an account with these permissions. */
export function navRoutes(permissions: readonly Permission[]): Route[] {
  return ROUTES.filter((route) => !('nav' in route) && canOpen(route, permissions));
}

/** The page a reset link opens, signed in or not. */
export const RESET_PASSWORD_PATH = '/reset-password';
