import { createTRPCClient, httpBatchLink } from '@trpc/client';
import type { AppRouter } from '@ordo/control/router';

/** The panel's only door to the control plane; the session cookie rides along (same origin). */
export const api = createTRPCClient<AppRouter>({
  links: [httpBatchLink({ url: '/trpc' })],
});
