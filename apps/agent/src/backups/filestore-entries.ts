import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

const SKIPPED = ['.pyc', '.pyo', '.swp', '.DS_Store'];
const SAMPLE_BYTES = 4096;
/** Bits of entropy per byte above which order-0 coding (Huffman, deflate's floor) saves ~nothing. */
const INCOMPRESSIBLE_BITS = 7.5;

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

const COMPRESSED_MAGIC: readonly (readonly number[])[] = [
  [0xff, 0xd8, 0xff], // JPEG
  [0x89, 0x50, 0x4e, 0x47], // PNG
  [0x47, 0x49, 0x46, 0x38], // GIF
  [0x50, 0x4b, 0x03, 0x04], // ZIP: docx, xlsx, odt…
  [0x1f, 0x8b], // gzip
  [0x28, 0xb5, 0x2f, 0xfd], // zstd
  [0xfd, 0x37, 0x7a, 0x58, 0x5a], // xz
  [0x42, 0x5a, 0x68], // bzip2
  [0x37, 0x7a, 0xbc, 0xaf], // 7z
];

/**
 * Whether deflating a file is worth it, from its first bytes: attachments are mostly images
 * and office files, already compressed, and deflating them again costs most of a backup's
 * time for nothing. Known compressed formats are stored; otherwise the byte entropy of a 4 KB
 * sample decides (random-looking data is stored). Costs microseconds per file, where a trial
 * deflate of the head cost a millisecond.
 */
export function worthDeflating(head: Buffer): boolean {
  if (head.length < 512) return true;
  if (COMPRESSED_MAGIC.some((magic) => magic.every((byte, index) => head[index] === byte))) {
    return false;
  }
  const sample = head.subarray(0, SAMPLE_BYTES);
  const counts = new Uint32Array(256);
  for (const byte of sample) counts[byte] = (counts[byte] ?? 0) + 1;
  let bits = 0;
  for (const count of counts) {
    if (count > 0) {
      const p = count / sample.length;
      bits -= p * Math.log2(p);
    }
  }
  return bits < INCOMPRESSIBLE_BITS;
}
