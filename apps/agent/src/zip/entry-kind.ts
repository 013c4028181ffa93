import type { Entry } from 'yauzl';

const TYPE_MASK = 0o170000;
const REGULAR = 0o100000;
const DIRECTORY = 0o040000;

export type EntryKind = 'file' | 'directory' | 'special';

/**
 * What an entry is, from the Unix mode in its external attributes (ZIPs made on Unix carry
 * one; others have 0 there). Symlinks, devices, FIFOs and sockets are `special`.
 */
export function entryKind(entry: Entry): EntryKind {
  const mode = (entry.externalFileAttributes >>> 16) & TYPE_MASK;
  if (mode === 0) return entry.fileName.endsWith('/') ? 'directory' : 'file';
  if (mode === DIRECTORY) return 'directory';
  if (mode === REGULAR) return entry.fileName.endsWith('/') ? 'directory' : 'file';
  return 'special';
}

/** A name that cannot escape the extraction directory (yauzl checks too; this says why). */
export function unsafeNameReason(name: string): string | null {
  if (name.includes('\\')) return 'contains a backslash';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'is an absolute path';
  if (name.split('/').includes('..')) return 'climbs out with ".."';
  if (name.includes('\u0000')) return 'contains a NUL character';
  return null;
}
