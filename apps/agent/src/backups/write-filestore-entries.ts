import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { crc32, createDeflateRaw, deflateRaw } from 'node:zlib';
import type { ZipFileWriter } from '../zip/zip-file-writer';
import {
  DEFLATED,
  STORED,
  dataDescriptor,
  localHeader,
  type ZipEntryInfo,
} from '../zip/zip-records';
import { filestoreFiles, worthDeflating, type FilestoreFile } from './filestore-entries';
import { measuring } from './spool-dump';

const deflateAsync = promisify(deflateRaw);
/** Files up to this size are read whole (attachments mostly are); larger ones are streamed. */
const WHOLE_FILE_BYTES = 4 * 1024 * 1024;
/** Reads in flight ahead of the writer: bounded memory (at most this many whole files). */
const READ_AHEAD = 8;
/** Above this, an entry's sizes need ZIP64 (with a margin: a file may grow while read). */
const ZIP64_FROM = 0xf0000000;

type Loaded =
  | { file: FilestoreFile; modified: Date; data: Buffer }
  | { file: FilestoreFile; modified: Date; data: null; size: number };

async function load(file: FilestoreFile): Promise<Loaded | null> {
  let handle;
  try {
    handle = await open(file.path, 'r');
  } catch (error) {
    // Deleted since it was listed (Odoo's attachment garbage collection): not in the backup.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const { size, mtime } = await handle.stat();
    if (size > WHOLE_FILE_BYTES) return { file, modified: mtime, data: null, size };
    const data = Buffer.allocUnsafe(size);
    let filled = 0;
    while (filled < size) {
      const { bytesRead } = await handle.read(data, filled, size - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return { file, modified: mtime, data: data.subarray(0, filled) };
  } finally {
    await handle.close();
  }
}

async function writeWhole(zip: ZipFileWriter, loaded: Loaded & { data: Buffer }) {
  const { data } = loaded;
  const crc = crc32(data);
  let body = data;
  let method: typeof STORED | typeof DEFLATED = STORED;
  if (worthDeflating(data)) {
    const deflated = await deflateAsync(data, { level: 6 });
    if (deflated.length < data.length) {
      body = deflated;
      method = DEFLATED;
    }
  }
  const entry = await zip.writeEntry(
    {
      name: loaded.file.name,
      method,
      crc,
      compressedSize: body.length,
      size: data.length,
      descriptor: false,
      zip64: false,
      modified: loaded.modified,
    },
    body,
  );
  zip.record(entry);
}

/** A large file, streamed: CRC and sizes go into a data descriptor after it. */
async function writeStreamed(
  zip: ZipFileWriter,
  loaded: Loaded & { data: null },
  signal: AbortSignal,
) {
  const probe = await open(loaded.file.path, 'r');
  const sample = Buffer.alloc(4096);
  try {
    await probe.read(sample, 0, sample.length, 0);
  } finally {
    await probe.close();
  }
  const method = worthDeflating(sample) ? DEFLATED : STORED;
  const entry: ZipEntryInfo = {
    name: loaded.file.name,
    method,
    crc: 0,
    compressedSize: 0,
    size: 0,
    offset: zip.position(),
    descriptor: true,
    zip64: loaded.size >= ZIP64_FROM,
    modified: loaded.modified,
  };
  await zip.write([localHeader(entry)]);
  const plain = measuring(true);
  const written = measuring(false);
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      zip.write([chunk]).then(() => callback(), callback);
    },
  });
  const stages = method === DEFLATED ? [createDeflateRaw({ level: 6 })] : [];
  await pipeline(
    [
      createReadStream(loaded.file.path, { highWaterMark: 1024 * 1024 }),
      plain.stream,
      ...stages,
      written.stream,
      sink,
    ],
    { signal },
  );
  const done = {
    ...entry,
    crc: plain.totals.crc,
    size: plain.totals.bytes,
    compressedSize: written.totals.bytes,
  };
  await zip.write([dataDescriptor(done)]);
  zip.record(done);
}

/**
 * Writes every filestore file as an entry, reading a few files ahead of the writer. Files
 * that look compressed or random are stored (see {@link worthDeflating}), others deflated.
 */
export async function writeFilestoreEntries(
  zip: ZipFileWriter,
  dir: string,
  signal: AbortSignal,
): Promise<number> {
  const pending: Promise<Loaded | null>[] = [];
  let count = 0;
  const next = async () => {
    const loaded = await pending.shift();
    if (!loaded) return;
    signal.throwIfAborted();
    if (loaded.data === null) await writeStreamed(zip, loaded, signal);
    else await writeWhole(zip, loaded);
    count += 1;
  };
  try {
    for await (const file of filestoreFiles(dir)) {
      const loading = load(file);
      // Awaited in order below; this only keeps a failure meanwhile from being unhandled.
      loading.catch(() => {});
      pending.push(loading);
      if (pending.length >= READ_AHEAD) await next();
    }
    while (pending.length > 0) await next();
  } finally {
    // On failure, let reads in flight settle before the caller removes the files.
    await Promise.allSettled(pending);
  }
  return count;
}
