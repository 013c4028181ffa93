import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import {
  createTRPCClient,
  httpLink,
  httpSubscriptionLink,
  splitLink,
  type TRPCClient,
} from '@trpc/client';
import { EventSource } from 'eventsource';
import { createSecretBox } from '../../src/crypto/secret-box';
import type { ControlDeps } from '../../src/deps';
import { createJobHub, type JobFollower, type JobFollowerOptions } from '../../src/features/jobs';
import { createAgentClientFactory } from '../../src/features/servers';
import { createControlApp } from '../../src/http/app';
import { startJobMirror } from '../../src/job-mirror';
import type { AppRouter } from '../../src/trpc/root';
import { createUser } from './fixtures';
import { captureLogs, type LogCapture } from './log-capture';
import { createTestDb, type TestDb } from './test-db';

export const ADMIN = { email: 'admin@example.com', password: 'correct horse battery' };

export interface TestClient {
  trpc: TRPCClient<AppRouter>;
  /** Cookies currently held, like a browser's jar. */
  cookies: Map<string, string>;
  /** Raw Set-Cookie headers of the last response. */
  lastSetCookies: string[];
}

export interface TestControl {
  url: string;
  deps: ControlDeps;
  testDb: TestDb;
  logs: LogCapture;
  client(options?: { headers?: Record<string, string> }): TestClient;
  /** A client already signed in as the admin. */
  signedInClient(): Promise<TestClient>;
  /** The job follower of this control plane, when started. */
  follower: JobFollower | null;
  close(): Promise<void>;
}

export interface TestControlOptions extends Partial<
  Pick<
    ControlDeps,
    'publicUrl' | 'uiDir' | 'agentClientFactory' | 'now' | 'panelUrl' | 'emailWorker'
  >
> {
  /** Share a database with another test control plane (not dropped on close). */
  testDb?: TestDb;
  /** Needed to read secrets another control plane stored in a shared database. */
  secretKey?: Buffer;
  /** Start a job follower, as startControl does (default true); options tune its timing. */
  follower?: boolean | JobFollowerOptions;
}

/**
 * The control plane's HTTP app on a real socket (port 0) over its own database clone, with an
 * admin account, talking tRPC like the panel does.
 */
export async function startTestControl(options: TestControlOptions = {}): Promise<TestControl> {
  const { testDb: sharedDb, secretKey, follower: followerOption = true, ...overrides } = options;
  const testDb = sharedDb ?? (await createTestDb());
  const logs = captureLogs();
  const deps: ControlDeps = {
    db: testDb.db,
    logger: logs.logger,
    secretBox: createSecretBox(secretKey ?? randomBytes(32)),
    agentClientFactory: createAgentClientFactory({ timeoutMs: 5_000 }),
    publicUrl: null,
    uiDir: null,
    jobHub: createJobHub(),
    ...overrides,
  };
  if (sharedDb === undefined) await createUser(testDb.db, ADMIN);
  const follower =
    followerOption === false
      ? null
      : startJobMirror(deps, followerOption === true ? {} : followerOption);
  const app = createControlApp(deps);
  const { server, port } = await new Promise<{ server: ReturnType<typeof serve>; port: number }>(
    (resolve) => {
      const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) =>
        resolve({ server: s, port: info.port }),
      );
    },
  );
  const url = `http://127.0.0.1:${port}`;

  const client = (options: { headers?: Record<string, string> } = {}) =>
    createTestClient(url, options);

  return {
    url,
    deps,
    testDb,
    logs,
    client,
    follower,
    async signedInClient() {
      const c = client();
      await c.trpc.auth.login.mutate(ADMIN);
      return c;
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
      await follower?.stop();
      if (sharedDb === undefined) await testDb.drop();
    },
  };
}

/**
 * A tRPC client like the panel's: queries and mutations over HTTP, subscriptions over SSE
 * (through the `eventsource` ponyfill: Node 20 has no EventSource), with a cookie jar.
 */
export function createTestClient(
  url: string,
  options: { headers?: Record<string, string> } = {},
): TestClient {
  const state: TestClient = {
    cookies: new Map(),
    lastSetCookies: [],
    trpc: createTRPCClient<AppRouter>({
      links: [
        splitLink({
          condition: (op) => op.type === 'subscription',
          true: httpSubscriptionLink({
            url: `${url}/trpc`,
            EventSource,
            eventSourceOptions: { fetch: (input, init) => jarFetch(input, init) },
          }),
          false: httpLink({ url: `${url}/trpc`, fetch: jarFetch }),
        }),
      ],
    }),
  };

  async function jarFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const headers = new Headers(init?.headers);
    // Like the panel in a browser: requests say they come from the panel's own origin.
    headers.set('origin', new URL(url).origin);
    for (const [name, value] of Object.entries(options.headers ?? {})) headers.set(name, value);
    if (state.cookies.size > 0) {
      headers.set(
        'cookie',
        [...state.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
      );
    }
    const response = await fetch(input, { ...init, headers });
    state.lastSetCookies = response.headers.getSetCookie();
    for (const line of state.lastSetCookies) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /max-age=0/i.test(line)) state.cookies.delete(name);
      else state.cookies.set(name, value);
    }
    return response;
  }

  return state;
}
