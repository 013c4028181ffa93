import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { streamProcess } from '../backups/stream-process';
import type { RestoreSource } from './restore-source';

export interface LoadInput {
  source: RestoreSource;
  database: string;
  filestoreDir: string;
  env: Record<string, string>;
  signal: AbortSignal;
}

/**
 * Loads the dump into the (new, empty) database and extracts the filestore into its (new)
 * directory, both at once. Stricter than Odoo: psql runs with ON_ERROR_STOP, so a dump with
 * an error fails the restore instead of leaving a half-loaded database that looks fine.
 */
export async function loadRestoreSource(input: LoadInput): Promise<void> {
  await mkdir(input.filestoreDir, { recursive: true, mode: 0o750 });
  const { source } = input;
  if (source.kind === 'custom') {
    const restore = streamProcess(
      'pg_restore',
      ['--no-owner', '--exit-on-error', '-d', input.database, source.path],
      { env: input.env, signal: input.signal },
    );
    restore.stdout.resume();
    await restore.done;
    return;
  }
  await Promise.all([loadPlainDump(input, source), extractFilestore(input, source)]);
}

async function loadPlainDump(
  input: LoadInput,
  source: Extract<RestoreSource, { kind: 'zip' }>,
): Promise<void> {
  const psql = streamProcess('psql', ['-X', '-v', 'ON_ERROR_STOP=1', '-q', '-d', input.database], {
    env: input.env,
    signal: input.signal,
    stdin: true,
  });
  psql.stdout.resume();
  const fed = pipeline(await source.zip.read(source.dump), psql.stdin, { signal: input.signal });
  const [feeding, loading] = await Promise.allSettled([fed, psql.done]);
  // When psql stops at an error its stdin breaks (EPIPE): psql's own message says why.
  if (loading.status === 'rejected') throw loading.reason;
  if (feeding.status === 'rejected') throw feeding.reason;
}

async function extractFilestore(
  input: LoadInput,
  source: Extract<RestoreSource, { kind: 'zip' }>,
): Promise<void> {
  for (const entry of source.filestore) {
    input.signal.throwIfAborted();
    // Names were checked (no "..", not absolute) when the archive was opened.
    const target = join(input.filestoreDir, entry.name.slice('filestore/'.length));
    await mkdir(dirname(target), { recursive: true });
    await pipeline(await source.zip.read(entry), createWriteStream(target, { flags: 'wx' }), {
      signal: input.signal,
    });
  }
}
