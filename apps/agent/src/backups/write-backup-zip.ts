import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ZipArchive, type ZipEntryData } from 'archiver';
import { fsyncFile } from '../system/fsync-file';
import { filestoreFiles, worthDeflating } from './filestore-entries';
import { streamProcess } from './stream-process';

export interface BackupZipInput {
  database: string;
  /** `<data_dir>/filestore/<db>`; absent means no filestore entries, as in Odoo. */
  filestoreDir: string;
  manifest: string;
  partialPath: string;
  finalPath: string;
  env: Record<string, string>;
  signal: AbortSignal;
}

/**
 * Writes the ZIP in Odoo's layout (dump.sql first, manifest.json, filestore/…). pg_dump's
 * output is streamed into the first entry and the filestore files after it, so memory stays
 * flat whatever the size. The file is hashed while written, fsynced, then renamed from
 * `.partial`: a ZIP under the final name is always complete. Any failure removes the partial.
 */
export async function writeBackupZip(
  input: BackupZipInput,
): Promise<{ size: number; sha256: string }> {
  const dump = streamProcess('pg_dump', ['--no-owner', input.database], {
    env: input.env,
    signal: input.signal,
  });
  const archive = new ZipArchive({ zlib: { level: 6 } });
  const hash = createHash('sha256');
  let size = 0;
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
  });
  try {
    const output = createWriteStream(input.partialPath, { mode: 0o640 });
    const written = pipeline(archive, hashing, output, { signal: input.signal });
    archive.append(dump.stdout, { name: 'dump.sql' });
    archive.append(input.manifest, { name: 'manifest.json' });
    const filled = (async () => {
      for await (const entry of filestoreFiles(input.filestoreDir)) {
        input.signal.throwIfAborted();
        const data: ZipEntryData = {
          name: entry.name,
          store: !(await worthDeflating(entry.path)),
        };
        archive.file(entry.path, data);
      }
      await archive.finalize();
    })();
    try {
      await Promise.all([written, filled, dump.done]);
    } catch (error) {
      dump.kill();
      archive.abort();
      throw error;
    }
    await fsyncFile(input.partialPath);
  } catch (error) {
    await rm(input.partialPath, { force: true });
    throw error;
  }
  await rename(input.partialPath, input.finalPath);
  return { size, sha256: hash.digest('hex') };
}
