import { execFile, spawn } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Ordo Test',
  GIT_AUTHOR_EMAIL: 'test@ordo.invalid',
  GIT_COMMITTER_NAME: 'Ordo Test',
  GIT_COMMITTER_EMAIL: 'test@ordo.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
  LC_ALL: 'C',
};

export async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await execFileAsync('git', args, { cwd, env: GIT_ENV });
  return stdout.trim();
}

const manifest = (name: string) =>
  `{'name': '${name}', 'version': '17.0.1.0.0', 'depends': ['base'], 'license': 'LGPL-3'}\n`;

/**
 * `<dir>/<name>.git`, a bare repository with two modules (mod_a, mod_b) on `main` and a
 * branch `other`, and `<dir>/<name>-work`, a clone to push commits from.
 */
export async function createModulesRepo(
  dir: string,
  name = 'modules',
): Promise<{ bare: string; work: string }> {
  const bare = join(dir, `${name}.git`);
  const work = join(dir, `${name}-work`);
  await git(dir, ['init', '--quiet', '--bare', '--initial-branch=main', bare]);
  await git(dir, ['init', '--quiet', '--initial-branch=main', work]);
  for (const module of ['mod_a', 'mod_b']) {
    await writeIn(work, `${module}/__manifest__.py`, manifest(module));
    await writeIn(work, `${module}/__init__.py`, '');
    await writeIn(work, `${module}/models/thing.py`, 'THING = 1\n');
  }
  await writeIn(work, 'README.md', 'Two modules\n');
  await git(work, ['add', '-A']);
  await git(work, ['commit', '--quiet', '-m', 'Two modules']);
  await git(work, ['remote', 'add', 'origin', bare]);
  await git(work, ['push', '--quiet', 'origin', 'main']);
  await git(work, ['push', '--quiet', 'origin', 'main:other']);
  return { bare, work };
}

/** Commits a change of `path` on `branch` and pushes it; answers the new commit. */
export async function pushChange(
  work: string,
  branch: string,
  path: string,
  content: string,
): Promise<string> {
  await git(work, ['fetch', '--quiet', 'origin']);
  await git(work, ['checkout', '--quiet', '-B', branch, `origin/${branch}`]);
  await writeIn(work, path, content);
  await git(work, ['add', '-A']);
  await git(work, ['commit', '--quiet', '-m', `Change ${path}`]);
  await git(work, ['push', '--quiet', 'origin', `HEAD:${branch}`]);
  return git(work, ['rev-parse', 'HEAD']);
}

async function writeIn(root: string, path: string, content: string): Promise<void> {
  await mkdir(dirname(join(root, path)), { recursive: true });
  await writeFile(join(root, path), content);
}

export interface GitHttpServer {
  url: string;
  /** Requests answered 401 (no or wrong credentials). */
  refused: () => number;
  close: () => Promise<void>;
}

/**
 * Serves the bare repositories under `projectRoot` over smart HTTP with `git http-backend`
 * as a CGI, behind HTTP Basic auth: any user name, `password` as the password; 401 with
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
