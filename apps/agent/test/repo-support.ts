import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface GitHttpServer {
  url: string;
  /** Requests answered 401 (no or wrong credentials). */
  refused: () => number;
  close: () => Promise<void>;
}

/**
 * Serves the bare repositories under `projectRoot` over smart HTTP with `git http-backend`
 * as a CGI, behind HTTP Basic auth: whatever user name, `password` as the password; 401 with
 * `WWW-Authenticate` otherwise. `delayMs` holds every answer back (to watch a clone run).
 */
export async function serveGitOverHttp(options: {
  projectRoot: string;
  password: string;
  delayMs?: number;
}): Promise<GitHttpServer> {
  let refused = 0;
  const server: Server = createServer((request, response) => {
    const expected = (user: string) =>
      `Basic ${Buffer.from(`${user}:${options.password}`).toString('base64')}`;
    const header = request.headers.authorization ?? '';
    const decoded = header.startsWith('Basic ')
      ? Buffer.from(header.slice(6), 'base64').toString('utf8')
      : '';
    const user = decoded.includes(':') ? decoded.slice(0, decoded.indexOf(':')) : '';
    if (user === '' || header !== expected(user)) {
      refused += 1;
      response.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' });
      response.end('Unauthorized');
      return;
    }
    const url = new URL(request.url ?? '/', 'http://localhost');
    const cgi = () => {
      const child = spawn('git', ['http-backend'], {
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          GIT_PROJECT_ROOT: options.projectRoot,
          GIT_HTTP_EXPORT_ALL: '1',
          REQUEST_METHOD: request.method ?? 'GET',
          PATH_INFO: decodeURIComponent(url.pathname),
          QUERY_STRING: url.search.slice(1),
          CONTENT_TYPE: request.headers['content-type'] ?? '',
          REMOTE_USER: user,
          REMOTE_ADDR: request.socket.remoteAddress ?? '127.0.0.1',
          HTTP_CONTENT_ENCODING: request.headers['content-encoding'] ?? '',
          HTTP_GIT_PROTOCOL: String(request.headers['git-protocol'] ?? ''),
        },
        stdio: ['pipe', 'pipe', 'inherit'],
      });
      request.pipe(child.stdin);
      let head = Buffer.alloc(0);
      let headersDone = false;
      child.stdout.on('data', (chunk: Buffer) => {
        if (headersDone) {
          response.write(chunk);
          return;
        }
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end === -1) return;
        headersDone = true;
        let status = 200;
        const headers: Record<string, string> = {};
        for (const line of head.subarray(0, end).toString('latin1').split('\r\n')) {
          const colon = line.indexOf(':');
          const key = line.slice(0, colon).trim();
          const value = line.slice(colon + 1).trim();
          if (key.toLowerCase() === 'status') status = Number.parseInt(value, 10);
          else headers[key] = value;
        }
        response.writeHead(status, headers);
        response.write(head.subarray(end + 4));
      });
      child.stdout.on('end', () => response.end());
    };
    setTimeout(cgi, options.delayMs ?? 0);
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    refused: () => refused,
    close: () =>
      new Promise((closed) => {
        server.closeAllConnections();
        server.close(() => closed());
      }),
  };
}

/** Files under `dir` (recursively, read as bytes) that contain any of `needles`. */
export async function filesContaining(dir: string, needles: readonly string[]): Promise<string[]> {
  const hits: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const bytes = await readFile(path).catch(() => null);
    if (bytes !== null && needles.some((needle) => bytes.includes(Buffer.from(needle)))) {
      hits.push(path);
    }
  }
  return hits;
}
