import { createServer, type Server, type ServerResponse } from 'node:http';

export interface ForeignServer {
  url: string;
  close(): Promise<void>;
}

/** A plain node:http server that is not an Ordo agent (or never answers when `handler` is null). */
export async function startForeignServer(
  handler: ((res: ServerResponse) => void) | null,
): Promise<ForeignServer> {
  const server: Server = createServer((_req, res) => {
    if (handler !== null) handler(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = portOf(server);
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A loopback port that was just free: nothing listens on it. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = portOf(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function portOf(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('not listening on TCP');
  return address.port;
}
