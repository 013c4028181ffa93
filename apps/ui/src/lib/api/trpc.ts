import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import type { AppRouter } from '@ordo/control/router';

/**
 * The panel's only door to the control plane; the session cookie rides along (same origin).
 * Subscriptions (live job logs) travel over server-sent events, everything else is batched.
 */
export const api = createTRPCClient<AppRouter>({
  links: [
    splitLink({
      condition: (operation) => operation.type === 'subscription',
      true: httpSubscriptionLink({ url: '/trpc' }),
      false: httpBatchLink({ url: '/trpc' }),
    }),
  ],
});
