import { createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { constants, crc32, createDeflateRaw } from 'node:zlib';
import { streamProcess } from './stream-process';

export interface SpooledDump {
  crc: number;
  size: number;
  compressedSize: number;
}

/** Counts (and CRCs) what flows through. */
export function measuring(withCrc: boolean) {
  const totals = { crc: 0, bytes: 0 };
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (withCrc) totals.crc = crc32(chunk, totals.crc);
      totals.bytes += chunk.length;
      callback(null, chunk);
    },
  });
  return { stream, totals };
}

/**
 * `pg_dump --no-owner <db>` deflated (level 6, as Odoo's zipfile does) into `spoolPath`: the
 * dump.sql entry's data, ready to append. Deflate runs on libuv's thread pool, so the dump
 * is compressed on one core while the filestore is written on another.
 */
export async function spoolDump(input: {
  database: string;
  spoolPath: string;
  env: Record<string, string>;
  signal: AbortSignal;
}): Promise<SpooledDump> {
  const dump = streamProcess('pg_dump', ['--no-owner', input.database], {
    env: input.env,
    signal: input.signal,
  });
  const plain = measuring(true);
  const deflated = measuring(false);
  const deflate = createDeflateRaw({
    level: 6,
    memLevel: 8,
    strategy: constants.Z_DEFAULT_STRATEGY,
  });
  try {
    await Promise.all([
      pipeline(
        dump.stdout,
        plain.stream,
        deflate,
        deflated.stream,
        createWriteStream(input.spoolPath, { mode: 0o640 }),
        { signal: input.signal },
      ),
      dump.done,
    ]);
  } catch (error) {
    dump.kill();
    throw error;
  }
  return { crc: plain.totals.crc, size: plain.totals.bytes, compressedSize: deflated.totals.bytes };
}
