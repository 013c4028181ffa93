import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createTRPCClient, httpLink, type TRPCClient } from '@trpc/client';
import { createSecretBox } from '../../src/crypto/secret-box';
import type { ControlDeps } from '../../src/deps';
import { createAgentClientFactory } from '../../src/features/servers';
import { createControlApp } from '../../src/http/app';
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
  close(): Promise<void>;
}

/**
 * The control plane's HTTP app on a real socket (port 0) over its own database clone, with an
 * admin account, talking tRPC like the panel does.
 */
export async function startTestControl(
  overrides: Partial<Pick<ControlDeps, 'publicUrl' | 'uiDir' | 'agentClientFactory'>> = {},
): Promise<TestControl> {
  const testDb = await createTestDb();
  const logs = captureLogs();
  const deps: ControlDeps = {
    db: testDb.db,
    logger: logs.logger,
    secretBox: createSecretBox(randomBytes(32)),
    agentClientFactory: createAgentClientFactory({ timeoutMs: 5_000 }),
    publicUrl: null,
    uiDir: null,
    ...overrides,
  };
  await createUser(testDb.db, ADMIN);
  const app = createControlApp(deps);
  const { server, port } = await new Promise<{ server: ReturnType<typeof serve>; port: number }>(
    (resolve) => {
      const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) =>
        resolve({ server: s, port: info.port }),
      );
    },
  );
  const url = `http://127.0.0.1:${port}`;

  function client(options: { headers?: Record<string, string> } = {}): TestClient {
    const state: TestClient = {
      cookies: new Map(),
      lastSetCookies: [],
      trpc: createTRPCClient<AppRouter>({
        links: [
          httpLink({
            url: `${url}/trpc`,
            fetch: async (input: string | URL | Request, init?: RequestInit) => {
              const headers = new Headers(init?.headers);
              for (const [name, value] of Object.entries(options.headers ?? {})) {
                headers.set(name, value);
              }
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
            },
          }),
        ],
      }),
    };
    return state;
  }

  return {
    url,
    deps,
    testDb,
    logs,
    client,
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
      await testDb.drop();
    },
  };
}
