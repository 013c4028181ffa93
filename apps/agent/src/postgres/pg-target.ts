import pg from 'pg';
import { AgentError } from '../errors';

/** Where instance databases live, from ORDO_AGENT_PG_URL. */
export interface PgTarget {
  url: string;
  host: string;
  port: number;
  user: string;
  password: string | null;
  /** The maintenance database the agent connects to (usually `postgres`). */
  database: string;
}

export function pgTarget(url: string): PgTarget {
  const parsed = new URL(url);
  const host = decodeURIComponent(parsed.hostname) || '127.0.0.1';
  return {
    url,
    host: host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host,
    port: parsed.port === '' ? 5432 : Number(parsed.port),
    user: decodeURIComponent(parsed.username) || 'postgres',
    password: parsed.password === '' ? null : decodeURIComponent(parsed.password),
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'postgres',
  };
}

export function describeTarget(target: PgTarget): string {
  return `${target.host}:${target.port}`;
}

const CONNECT_TIMEOUT_MS = 5000;

/** Runs `work` with a connection to `database` (default: the maintenance database). */
export async function withPg<T>(
  target: PgTarget,
  work: (client: pg.Client) => Promise<T>,
  database: string = target.database,
): Promise<T> {
  const client = new pg.Client({
    host: target.host,
    port: target.port,
    user: target.user,
    ...(target.password === null ? {} : { password: target.password }),
    database,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: 'ordo-agent',
  });
  // An idle connection can still fail (server restart); without a listener that would crash.
  client.on('error', () => {});
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** A 503 naming the server and the reason when PostgreSQL cannot be reached. */
export async function ensureReachable(target: PgTarget): Promise<void> {
  try {
    await withPg(target, (client) => client.query('SELECT 1'));
  } catch (error) {
    throw unreachable(target, error);
  }
}

export function unreachable(target: PgTarget, error: unknown): AgentError {
  return new AgentError(
    'unavailable',
    503,
    `PostgreSQL at ${describeTarget(target)} is not reachable: ${reason(error)}`,
    { cause: error },
  );
}

/** The error text PostgreSQL or the socket gave; AggregateErrors (IPv4 + IPv6) unwrapped. */
export function reason(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return reason(error.errors[0]);
  if (error instanceof Error) {
    return error.message || ('code' in error ? String(error.code) : error.name);
  }
  return String(error);
}
