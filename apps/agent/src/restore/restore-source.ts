import { open } from 'node:fs/promises';
import { AgentError } from '../errors';
import { openCheckedZip, type CheckedZip, type ZipEntry } from '../zip/open-zip';
import { UnsafeArchiveError, type ZipLimits } from '../zip/zip-limits';

export type RestoreSource =
  | { kind: 'zip'; path: string; zip: CheckedZip; dump: ZipEntry; filestore: ZipEntry[] }
  | { kind: 'custom'; path: string };

const MANIFEST_MAX_BYTES = 1024 * 1024;

/**
 * What was uploaded, checked before anything is touched: an Odoo ZIP (its central directory
 * checked by {@link openCheckedZip}, a `dump.sql`, a readable manifest.json when present) or a
 * custom-format dump (`PGDMP` magic). A 400 naming the problem otherwise.
 */
export async function openRestoreSource(path: string, limits: ZipLimits): Promise<RestoreSource> {
  const magic = await readHead(path, 5);
  if (magic.toString('latin1') === 'PGDMP') return { kind: 'custom', path };
  if (magic.subarray(0, 2).toString('latin1') !== 'PK') {
    throw badArchive('The file is neither a ZIP backup nor a custom-format dump (.dump)');
  }
  let zip: CheckedZip;
  try {
    zip = await openCheckedZip(path, limits);
  } catch (error) {
    throw error instanceof UnsafeArchiveError ? badArchive(error.message) : error;
  }
  try {
    const dump = zip.entries.find((entry) => entry.name === 'dump.sql' && entry.kind === 'file');
    if (!dump) throw badArchive('The archive has no dump.sql: it is not an Odoo backup');
    const manifest = zip.entries.find((entry) => entry.name === 'manifest.json');
    if (manifest) await checkManifest(zip, manifest);
    const filestore = zip.entries.filter(
      (entry) => entry.kind === 'file' && entry.name.startsWith('filestore/'),
    );
    return { kind: 'zip', path, zip, dump, filestore };
  } catch (error) {
    zip.close();
    throw error;
  }
}

async function checkManifest(zip: CheckedZip, entry: ZipEntry): Promise<void> {
  if (entry.size > MANIFEST_MAX_BYTES) throw badArchive('manifest.json is too large');
  const text = await readAll(zip, entry).catch((error: unknown) => {
    throw badArchive(error instanceof Error ? error.message : String(error));
  });
  try {
    JSON.parse(text);
  } catch {
    throw badArchive('manifest.json is not valid JSON');
  }
}

async function readAll(zip: CheckedZip, entry: ZipEntry): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await zip.read(entry)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The first `bytes` of the entry (or fewer), without inflating the rest. */
export async function readEntryHead(zip: CheckedZip, entry: ZipEntry, bytes: number) {
  const chunks: Buffer[] = [];
  let length = 0;
  const stream = await zip.read(entry);
  for await (const chunk of stream) {
    chunks.push(chunk as Buffer);
    length += (chunk as Buffer).length;
    if (length >= bytes) break;
  }
  stream.destroy();
  return Buffer.concat(chunks).subarray(0, bytes);
}

async function readHead(path: string, bytes: number): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await file.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

export function badArchive(message: string): AgentError {
  return new AgentError('bad_request', 400, message);
}
