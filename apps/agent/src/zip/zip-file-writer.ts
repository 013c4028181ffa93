import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { centralRecord, endRecords, localHeader, type ZipEntryInfo } from './zip-records';

export interface ZipFileWriter {
  /** Bytes written so far: where the next entry's local header goes. */
  position(): number;
  /** Appends bytes at the end, hashing them. */
  write(buffers: readonly Buffer[]): Promise<void>;
  /** Writes a whole entry whose data is at hand (CRC and sizes known: no descriptor). */
  writeEntry(entry: Omit<ZipEntryInfo, 'offset'>, data: Buffer): Promise<ZipEntryInfo>;
  /** Records a written entry for the central directory; `leading` ones are listed first. */
  record(entry: ZipEntryInfo, leading?: boolean): void;
  /** Writes the central directory and its end; answers the file's size and sha256. */
  finish(): Promise<{ size: number; sha256: string }>;
}

/**
 * Writes a ZIP sequentially into an open file. Central directory records are kept as bytes
 * (about 100 per entry), not objects, so a filestore of a million files stays affordable.
 * `leading` entries (dump.sql, manifest.json) are listed first in the central directory, which
 * is the order readers such as Python's zipfile report, wherever their data lies in the file.
 */
export function createZipFileWriter(file: FileHandle): ZipFileWriter {
  const hash = createHash('sha256');
  const leading: Buffer[] = [];
  const others: Buffer[] = [];
  let position = 0;
  let count = 0;

  const write = async (buffers: readonly Buffer[]) => {
    let total = 0;
    for (const buffer of buffers) {
      hash.update(buffer);
      total += buffer.length;
    }
    let { bytesWritten } = await file.writev(buffers as Buffer[], position);
    if (bytesWritten < total) {
      // A short write (rare on regular files): finish it from one copy of the rest.
      const all = Buffer.concat(buffers);
      while (bytesWritten < total) {
        const done = await file.write(
          all,
          bytesWritten,
          total - bytesWritten,
          position + bytesWritten,
        );
        bytesWritten += done.bytesWritten;
      }
    }
    position += total;
  };

  const record = (entry: ZipEntryInfo, first = false) => {
    (first ? leading : others).push(centralRecord(entry));
    count += 1;
  };

  return {
    position: () => position,
    write,
    record,
    async writeEntry(partial, data) {
      const entry: ZipEntryInfo = { ...partial, offset: position };
      await write([localHeader(entry), data]);
      return entry;
    },
    async finish() {
      const directoryOffset = position;
      const directory = [...leading, ...others];
      const directorySize = directory.reduce((sum, buffer) => sum + buffer.length, 0);
      // In batches: one writev per record would be slow for large filestores.
      for (let index = 0; index < directory.length; index += 1024) {
        await write(directory.slice(index, index + 1024));
      }
      await write([endRecords(count, directoryOffset, directorySize)]);
      return { size: position, sha256: hash.digest('hex') };
    },
  };
}
