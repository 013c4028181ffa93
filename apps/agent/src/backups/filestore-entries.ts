import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';

const PROBE_BYTES = 64 * 1024;
const SKIPPED = ['.pyc', '.pyo', '.swp', '.DS_Store'];

export interface FilestoreFile {
  path: string;
  /** Name inside the ZIP: `filestore/<relative path>`. */
  name: string;
}

/**
 * Regular files under the filestore (symlinks and others are not Odoo's and are left out),
 * depth first, skipping what Odoo's `zip_dir` skips.
 */
export async function* filestoreFiles(
  dir: string,
  prefix = 'filestore',
): AsyncGenerator<FilestoreFile> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    const name = `${prefix}/${entry.name}`;
    if (entry.isDirectory()) yield* filestoreFiles(path, name);
    else if (entry.isFile() && !SKIPPED.some((suffix) => entry.name.endsWith(suffix))) {
      yield { path, name };
    }
  }
}

/**
 * Whether deflating the file is worth it: attachments are mostly PDFs and images, already
 * compressed, and deflating them again costs most of a backup's time for nothing. Decided on
 * the first 64 KB: stored unless level-1 deflate saves at least 10 %.
 */
export async function worthDeflating(path: string): Promise<boolean> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(PROBE_BYTES);
    const { bytesRead } = await file.read(buffer, 0, PROBE_BYTES, 0);
    if (bytesRead < 512) return true;
    const sample = buffer.subarray(0, bytesRead);
    return deflateRawSync(sample, { level: 1 }).length < bytesRead * 0.9;
  } finally {
    await file.close();
  }
}
