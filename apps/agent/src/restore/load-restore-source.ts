import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { streamProcess } from '../backups/stream-process';
import type { ZipEntry } from '../zip/open-zip';
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
export async function loadRestoreSource(options: LoadInput): Promise<void> {
  await mkdir(options.filestoreDir, { recursive: true, mode: 0o750 });
  const input = {
    ...options,
    env: { ...options.env, PGOPTIONS: `${options.env.PGOPTIONS ?? ''} ${LOAD_OPTIONS}`.trim() },
  };
  const { source } = input;
  if (source.kind === 'custom') {
    const restore = streamProcess(
      'pg_restore',
      ['--no-owner', '--exit-on-error', '-d', input.database, source.path],
      { env: input.env, signal: input.signal },
    );
    restore.stdout.resume();
    await restore.done;
  } else {
    // A failure stops the other half, and both settle before it is reported, so the
    // caller's cleanup races nothing.
    const stop = new AbortController();
    const halves = { ...input, signal: AbortSignal.any([input.signal, stop.signal]) };
    let firstFailure: unknown = null;
    const stopOnFailure = (error: unknown) => {
      if (!stop.signal.aborted) {
        firstFailure = error;
        stop.abort(error);
      }
      throw error;
    };
    const loaded = await Promise.allSettled([
      loadPlainDump(halves, source).catch(stopOnFailure),
      extractFilestore(halves, source).catch(stopOnFailure),
    ]);
    // The failure that stopped the other half, not the other half's "aborted".
    if (loaded.some((result) => result.status === 'rejected')) throw firstFailure;
  }
  await flushCommits(options);
}

/**
 * The load commits each statement without waiting for its WAL flush (thousands of commits
 * for an Odoo schema) and builds indexes with more memory. Safe: until the swap, nothing uses
 * the new database, and {@link flushCommits} makes it durable before the swap.
 */
const LOAD_OPTIONS = '-c synchronous_commit=off -c maintenance_work_mem=128MB';

/** One synchronous commit: the WAL is flushed up to it, so every earlier commit is durable. */
async function flushCommits(input: LoadInput): Promise<void> {
  const psql = streamProcess(
    'psql',
    ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', input.database, '-c', 'SELECT txid_current()'],
    { env: input.env, signal: input.signal },
  );
  psql.stdout.resume();
  await psql.done;
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

/** Large files written at once (streamed): bound by per-file latency, not bandwidth. */
const EXTRACT_CONCURRENCY = 4;

/**
 * Entries up to this size are read, inflated and written whole and synchronously: Odoo's
 * filestore is mostly thousands of small attachments, and a stream per file spends more time
 * in thread-pool round trips than in the work (measured: 2000 × 100 KB took 5–6 s streamed,
 * under 1 s whole). The bound keeps memory flat; bigger files stream.
 */
const WHOLE_ENTRY_BYTES = 4 * 1024 * 1024;

/** Longest the synchronous extraction holds the event loop before letting requests through. */
const SLICE_MS = 10;

async function extractFilestore(
  input: LoadInput,
  source: Extract<RestoreSource, { kind: 'zip' }>,
): Promise<void> {
  const made = new Set<string>();
  // Names were checked (no "..", not absolute) when the archive was opened.
  const targetOf = (entry: ZipEntry) => {
    const target = join(input.filestoreDir, entry.name.slice('filestore/'.length));
    const parent = dirname(target);
    if (!made.has(parent)) {
      mkdirSync(parent, { recursive: true });
      made.add(parent);
    }
    return target;
  };
  const small = (entry: ZipEntry) =>
    entry.size <= WHOLE_ENTRY_BYTES && entry.raw.compressedSize <= WHOLE_ENTRY_BYTES;
  let failed = false;
  const failing = (error: unknown) => {
    failed = true;
    throw error;
  };
  // Every part has stopped before this answers: the caller may then remove the directory.
  const results = await Promise.allSettled([
    extractWhole(input, source, source.filestore.filter(small), targetOf, () => failed).catch(
      failing,
    ),
    ...streamLarge(
      input,
      source,
      source.filestore.filter((entry) => !small(entry)),
      targetOf,
      () => failed,
    ).map((worker) => worker.catch(failing)),
  ]);
  for (const result of results) if (result.status === 'rejected') throw result.reason;
}

async function extractWhole(
  input: LoadInput,
  source: Extract<RestoreSource, { kind: 'zip' }>,
  entries: ZipEntry[],
  targetOf: (entry: ZipEntry) => string,
  stopped: () => boolean,
): Promise<void> {
  let index = 0;
  while (index < entries.length && !stopped()) {
    input.signal.throwIfAborted();
    const sliceEnd = performance.now() + SLICE_MS;
    while (index < entries.length && performance.now() < sliceEnd) {
      const entry = entries[index++];
      if (entry === undefined) break;
      writeFileSync(targetOf(entry), source.zip.readWhole(entry), { flag: 'wx' });
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function streamLarge(
  input: LoadInput,
  source: Extract<RestoreSource, { kind: 'zip' }>,
  entries: ZipEntry[],
  targetOf: (entry: ZipEntry) => string,
  stopped: () => boolean,
): Promise<void>[] {
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < entries.length && !stopped(); index = next++) {
      const entry = entries[index];
      if (entry === undefined) return;
      input.signal.throwIfAborted();
      await pipeline(
        await source.zip.read(entry),
        createWriteStream(targetOf(entry), { flags: 'wx' }),
        {
          signal: input.signal,
        },
      );
    }
  };
  return Array.from({ length: Math.min(EXTRACT_CONCURRENCY, entries.length) }, worker);
}
