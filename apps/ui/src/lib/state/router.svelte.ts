import { matchRoute } from './routes';
import type { Route } from './routes';

/** History-based router: the control plane serves index.html for every panel path. */
class Router {
  path = $state('/');
  readonly route: Route | null = $derived(matchRoute(this.path));

  init(): void {
    this.path = window.location.pathname;
    window.addEventListener('popstate', () => {
      this.path = window.location.pathname;
    });
  }

  navigate(path: string): void {
    if (path === this.path) return;
    window.history.pushState(null, '', path);
    this.path = path;
  }
}

export const router = new Router();
