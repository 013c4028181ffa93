import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { PgTarget } from '../postgres/pg-target';
import { withPg } from '../postgres/pg-target';
import type { CheckedZip, ZipEntry } from '../zip/open-zip';
import { badArchive, readEntryHead } from './restore-source';

const run = promisify(execFile);

export async function serverMajor(target: PgTarget): Promise<number> {
  const result = await withPg(target, (client) =>
    client.query<{ server_version_num: string }>('SHOW server_version_num'),
  );
  return Math.floor(Number(result.rows[0]?.server_version_num ?? '0') / 10_000);
}

/** `-- Dumped from database version 17.2` in the head of a plain dump. */
export function dumpedFromMajor(text: string): number | null {
  const match = /^-- Dumped from database version (\d+)/m.exec(text);
  return match?.[1] === undefined ? null : Number(match[1]);
}

function newerError(dumpMajor: number, server: number) {
  return badArchive(
    `The dump comes from PostgreSQL ${dumpMajor}, newer than this server's PostgreSQL ` +
      `${server}: restore it on a server with PostgreSQL ${dumpMajor} or later`,
  );
}

/** 400 when a plain dump.sql was made by a newer PostgreSQL than the server's. */
export async function checkPlainDumpVersion(
  zip: CheckedZip,
  dump: ZipEntry,
  target: PgTarget,
): Promise<void> {
  const head = (await readEntryHead(zip, dump, 4096)).toString('utf8');
  const major = dumpedFromMajor(head);
  const server = await serverMajor(target);
  if (major !== null && major > server) throw newerError(major, server);
}

/**
 * 400 when a custom-format dump is newer than the server (its header names the source server)
 * or one this pg_restore cannot read at all.
 */
export async function checkCustomDumpVersion(
  path: string,
  target: PgTarget,
  env: Record<string, string>,
): Promise<void> {
  let listing: string;
  try {
    listing = (await run('pg_restore', ['-l', path], { env, maxBuffer: 64 * 1024 ** 2 })).stdout;
  } catch (error) {
    const detail = error instanceof Error && 'stderr' in error ? String(error.stderr).trim() : '';
    throw badArchive(
      `pg_restore cannot read this dump (made by a newer PostgreSQL?): ${detail || 'unreadable'}`,
    );
  }
  const match = /Dumped from database version: (\d+)/.exec(listing);
  const server = await serverMajor(target);
  if (match?.[1] !== undefined && Number(match[1]) > server) {
    throw newerError(Number(match[1]), server);
  }
}
