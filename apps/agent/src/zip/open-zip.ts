import { closeSync, openSync, readSync } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { crc32, inflateRawSync } from 'node:zlib';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { entryKind, unsafeNameReason, type EntryKind } from './entry-kind';
import { UnsafeArchiveError, type ZipLimits } from './zip-limits';

export interface ZipEntry {
  name: string;
  kind: EntryKind;
  /** As the central directory declares it; reading checks the real size against it. */
  size: number;
  raw: Entry;
}

export interface CheckedZip {
  entries: ZipEntry[];
  /** The entry's content, inflated; the stream errors on a size, bound or CRC mismatch. */
  read(entry: ZipEntry): Promise<Readable>;
  /**
   * A small entry's whole content, read and inflated synchronously with the same checks. For
   * thousands of small filestore files a stream each costs a few thread-pool round trips per
   * file (read, inflate, write): several times the work itself. Callers keep it to entries of
   * a few MB (memory) and yield to the event loop between batches.
   */
  readWhole(entry: ZipEntry): Buffer;
  close(): void;
}

/** Local file header: signature, then fixed fields; name and extra lengths at 26 and 28. */
const LOCAL_HEADER_BYTES = 30;
const LOCAL_HEADER_SIGNATURE = 0x04034b50;

/**
 * Opens an uploaded ZIP from its central directory (the truth: local headers can disagree)
 * and refuses it before anything is extracted when an entry is unsafe (escaping path,
 * symlink, device), encrypted, or the archive exceeds the entry count or uncompressed size.
 * Reading then counts the bytes actually inflated, so a lying size field is caught too.
 */
export async function openCheckedZip(path: string, limits: ZipLimits): Promise<CheckedZip> {
  let zip: ZipFile;
  try {
    zip = await yauzl.openPromise(path, {
      lazyEntries: true,
      autoClose: false,
      decodeStrings: true,
      validateEntrySizes: true,
      strictFileNames: false,
    });
  } catch (error) {
    throw new UnsafeArchiveError(`The file is not a readable ZIP archive: ${message(error)}`);
  }
  try {
    if (zip.entryCount > limits.maxEntries) {
      throw new UnsafeArchiveError(
        `The archive has ${zip.entryCount} entries; at most ${limits.maxEntries} are accepted`,
      );
    }
    const entries = await collectEntries(zip, limits);
    let inflated = 0;
    let fd: number | null = null;
    const readAt = (length: number, position: number): Buffer => {
      fd ??= openSync(path, 'r');
      const buffer = Buffer.alloc(length);
      if (readSync(fd, buffer, 0, length, position) !== length) {
        throw new UnsafeArchiveError('The archive is truncated');
      }
      return buffer;
    };
    return {
      entries,
      close: () => {
        if (fd !== null) closeSync(fd);
        fd = null;
        zip.close();
      },
      readWhole: (entry) => {
        const { raw } = entry;
        const header = readAt(LOCAL_HEADER_BYTES, raw.relativeOffsetOfLocalHeader);
        if (header.readUInt32LE(0) !== LOCAL_HEADER_SIGNATURE) {
          throw new UnsafeArchiveError(`The entry ${entry.name} is corrupt (no local header)`);
        }
        const start =
          raw.relativeOffsetOfLocalHeader +
          LOCAL_HEADER_BYTES +
          header.readUInt16LE(26) +
          header.readUInt16LE(28);
        const stored = readAt(raw.compressedSize, start);
        let content: Buffer;
        if (raw.compressionMethod === 0) content = stored;
        else if (raw.compressionMethod === 8) {
          try {
            // Inflating past the declared size throws: a zip bomb stops at its lie.
            content = inflateRawSync(stored, { maxOutputLength: Math.max(1, entry.size) });
          } catch (error) {
            throw new UnsafeArchiveError(
              error instanceof RangeError
                ? `The entry ${entry.name} inflates past the size its header declares (a zip bomb?)`
                : `The entry ${entry.name} is corrupt: ${message(error)}`,
            );
          }
        } else {
          throw new UnsafeArchiveError(
            `The entry ${entry.name} uses an unsupported compression method (${raw.compressionMethod})`,
          );
        }
        inflated += content.length;
        if (content.length !== entry.size || inflated > limits.maxUncompressedBytes) {
          throw new UnsafeArchiveError(
            `The entry ${entry.name} inflates to another size than its header declares`,
          );
        }
        if (crc32(content) !== raw.crc32) {
          throw new UnsafeArchiveError(`The entry ${entry.name} is corrupt (CRC mismatch)`);
        }
        return content;
      },
      read: async (entry) => {
        const stream = await zip.openReadStreamPromise(entry.raw);
        let crc = 0;
        let seen = 0;
        const check = new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            seen += chunk.length;
            inflated += chunk.length;
            if (seen > entry.size || inflated > limits.maxUncompressedBytes) {
              callback(
                new UnsafeArchiveError(
                  `The entry ${entry.name} inflates past the size its header declares ` +
                    `(a zip bomb?)`,
                ),
              );
              return;
            }
            crc = crc32(chunk, crc);
            callback(null, chunk);
          },
          flush(callback) {
            if (crc !== entry.raw.crc32) {
              callback(new UnsafeArchiveError(`The entry ${entry.name} is corrupt (CRC mismatch)`));
            } else callback();
          },
        });
        stream.on('error', (error) => check.destroy(asUnsafe(entry, error)));
        return stream.pipe(check);
      },
    };
  } catch (error) {
    zip.close();
    throw error;
  }
}

async function collectEntries(zip: ZipFile, limits: ZipLimits): Promise<ZipEntry[]> {
  const entries: ZipEntry[] = [];
  let total = 0;
  try {
    for await (const raw of zip.eachEntry()) {
      const name = raw.fileName;
      const unsafe = unsafeNameReason(name);
      if (unsafe !== null) {
        throw new UnsafeArchiveError(`The archive entry "${name}" ${unsafe}; refused`);
      }
      const kind = entryKind(raw);
      if (kind === 'special') {
        throw new UnsafeArchiveError(
          `The archive entry "${name}" is a symbolic link or device; refused`,
        );
      }
      if (raw.isEncrypted()) {
        throw new UnsafeArchiveError(`The archive entry "${name}" is encrypted; refused`);
      }
      total += raw.uncompressedSize;
      if (total > limits.maxUncompressedBytes) {
        throw new UnsafeArchiveError(
          `The archive would inflate to more than ${limits.maxUncompressedBytes} bytes; refused`,
        );
      }
      entries.push({ name, kind, size: raw.uncompressedSize, raw });
    }
  } catch (error) {
    if (error instanceof UnsafeArchiveError) throw error;
    throw new UnsafeArchiveError(`The archive is unsafe or corrupt: ${message(error)}`);
  }
  return entries;
}

function asUnsafe(entry: ZipEntry, error: Error): Error {
  if (error instanceof UnsafeArchiveError) return error;
  return new UnsafeArchiveError(`The entry ${entry.name} is corrupt: ${error.message}`);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
