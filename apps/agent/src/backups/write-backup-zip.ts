import { createReadStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { crc32, deflateRawSync } from 'node:zlib';
import { createZipFileWriter } from '../zip/zip-file-writer';
import { DEFLATED, localHeader, type ZipEntryInfo } from '../zip/zip-records';
import { spoolDump, type SpooledDump } from './spool-dump';
import { writeFilestoreEntries } from './write-filestore-entries';

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

const MAX32 = 0xffffffff;

/**
 * Writes the ZIP in Odoo's format (entries dump.sql, manifest.json, filestore/…, listed in
 * that order) using two cores: pg_dump's output is deflated into a spool file beside the ZIP
 * while the filestore entries are written into the ZIP, then the deflated dump is appended.
 * Everything streams: memory stays flat whatever the size. The file is hashed while written,
 * fsynced, then renamed from `.partial`: a ZIP under the final name is always complete. Any
 * failure stops both halves and removes the partial file and the spool.
 */
export async function writeBackupZip(
  input: BackupZipInput,
): Promise<{ size: number; sha256: string }> {
  const spoolPath = `${input.partialPath}.dump`;
  const stop = new AbortController();
  const signal = AbortSignal.any([input.signal, stop.signal]);
  const file = await open(input.partialPath, 'w', 0o640);
  let written: { size: number; sha256: string };
  try {
    const zip = createZipFileWriter(file);
    const dumping = spoolDump({ database: input.database, spoolPath, env: input.env, signal });
    const filling = (async () => {
      const text = Buffer.from(input.manifest, 'utf8');
      const body = deflateRawSync(text);
      const manifest = await zip.writeEntry(
        {
          name: 'manifest.json',
          method: DEFLATED,
          crc: crc32(text),
          compressedSize: body.length,
          size: text.length,
          descriptor: false,
          zip64: false,
          modified: new Date(),
        },
        body,
      );
      await writeFilestoreEntries(zip, input.filestoreDir, signal);
      return manifest;
    })();
    const [dump, manifest] = await bothOrStop(dumping, filling, stop);
    zip.record(await appendSpool(zip, spoolPath, dump, signal), true);
    zip.record(manifest, true);
    written = await zip.finish();
    await file.sync();
  } catch (error) {
    await file.close().catch(() => {});
    await rm(input.partialPath, { force: true });
    await rm(spoolPath, { force: true });
    throw error;
  }
  await file.close();
  await rm(spoolPath, { force: true });
  await rename(input.partialPath, input.finalPath);
  return written;
}

/** Both results, or the first failure once the other half has stopped too. */
async function bothOrStop<A, B>(
  first: Promise<A>,
  second: Promise<B>,
  stop: AbortController,
): Promise<[A, B]> {
  const failFast = (error: unknown) => {
    stop.abort(error);
    throw error;
  };
  const settled = await Promise.allSettled([first.catch(failFast), second.catch(failFast)]);
  const [a, b] = settled;
  if (a.status === 'rejected') throw a.reason;
  if (b.status === 'rejected') throw b.reason;
  return [a.value, b.value];
}

/** Appends the spooled, already deflated dump as the `dump.sql` entry. */
async function appendSpool(
  zip: ReturnType<typeof createZipFileWriter>,
  spoolPath: string,
  dump: SpooledDump,
  signal: AbortSignal,
): Promise<ZipEntryInfo> {
  const entry: ZipEntryInfo = {
    name: 'dump.sql',
    method: DEFLATED,
    ...dump,
    offset: zip.position(),
    descriptor: false,
    zip64: dump.size >= MAX32 || dump.compressedSize >= MAX32,
    modified: new Date(),
  };
  await zip.write([localHeader(entry)]);
  for await (const chunk of createReadStream(spoolPath, { highWaterMark: 1024 * 1024, signal })) {
    await zip.write([chunk as Buffer]);
  }
  return entry;
}
