export const ROUTES = [
  { id: 'dashboard', path: '/', label: 'Dashboard' },
  { id: 'instances', path: '/instances', label: 'Instances' },
  { id: 'versions', path: '/versions', label: 'Versions' },
  { id: 'users', path: '/users', label: 'Users' },
  { id: 'settings', path: '/settings', label: 'Settings' },
  { id: 'servers', path: '/servers', label: 'Servers' },
] as const;

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
