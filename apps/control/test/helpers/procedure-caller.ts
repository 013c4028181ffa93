import {
  createTRPCUntypedClient,
  httpLink,
  httpSubscriptionLink,
  splitLink,
  TRPCClientError,
} from '@trpc/client';
import { EventSource } from 'eventsource';
import type { AppRouter } from '../../src/trpc/root';

export type ProcedureType = 'query' | 'mutation' | 'subscription';

/** What a call came to: an answer, or the tRPC error code and message. */
export type CallOutcome = { ok: true } | { ok: false; code: string; message: string };

function outcomeOf(error: unknown): CallOutcome {
  if (error instanceof TRPCClientError) {
    const data: unknown = error.data;
    const code =
      typeof data === 'object' && data !== null && typeof Reflect.get(data, 'code') === 'string'
        ? String(Reflect.get(data, 'code'))
        : 'UNKNOWN';
    return { ok: false, code, message: error.message };
  }
  return {
    ok: false,
    code: 'UNKNOWN',
    message: error instanceof Error ? error.message : String(error),
  };
}

/**
 * Calls any procedure by its path over real HTTP, as the holder of `cookie` (or nobody), the way
 * the panel does (Origin of the panel; subscriptions over SSE).
 */
export function procedureCaller(url: string, cookie: string | null) {
  const headers = () => ({ origin: url, ...(cookie === null ? {} : { cookie }) });
  const client = createTRPCUntypedClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url: `${url}/trpc`,
          EventSource,
          eventSourceOptions: {
            fetch: (input, init) =>
              fetch(input, { ...init, headers: { ...init?.headers, ...headers() } }),
          },
        }),
        false: httpLink({ url: `${url}/trpc`, headers }),
      }),
    ],
  });

  return async (type: ProcedureType, path: string, input: unknown): Promise<CallOutcome> => {
    if (type === 'subscription') {
      return new Promise<CallOutcome>((resolve) => {
        let settled = false;
        const finish = (outcome: CallOutcome) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          subscription.unsubscribe();
          resolve(outcome);
        };
        // Started and silent (a running job with no log yet) counts as allowed.
        const timer = setTimeout(() => finish({ ok: true }), 3_000);
        const subscription = client.subscription(path, input, {
          onData: () => finish({ ok: true }),
          onError: (error) => finish(outcomeOf(error)),
        });
      });
    }
    try {
      if (type === 'query') await client.query(path, input);
      else await client.mutation(path, input);
      return { ok: true };
    } catch (error) {
      return outcomeOf(error);
    }
  };
}
