/**
 * The records of a ZIP file (APPNOTE 6.3): local headers, data descriptors, the central
 * directory and its end, with ZIP64 fields wherever a size, offset or count needs them.
 */

const LOCAL = 0x04034b50;
const DESCRIPTOR = 0x08074b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
const END64 = 0x06064b50;
const LOCATOR64 = 0x07064b50;
const MAX16 = 0xffff;
const MAX32 = 0xffffffff;
/** Made by Unix (3), spec 6.3: the external attributes then carry a Unix mode. */
const MADE_BY = (3 << 8) | 63;
const FLAG_DESCRIPTOR = 1 << 3;
const FLAG_UTF8 = 1 << 11;
const REGULAR_FILE = 0o100640;

export const STORED = 0;
export const DEFLATED = 8;

export interface ZipEntryInfo {
  name: string;
  method: typeof STORED | typeof DEFLATED;
  crc: number;
  compressedSize: number;
  size: number;
  /** Where its local header starts. */
  offset: number;
  /** Sizes and CRC follow the data in a descriptor (unknown when the header was written). */
  descriptor: boolean;
  /** Whether the local header carries ZIP64 sizes (entries that may reach 4 GiB). */
  zip64: boolean;
  modified: Date;
}

function dosTime(date: Date): { time: number; date: number } {
  const year = Math.max(1980, date.getFullYear());
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | Math.floor(date.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

function nameBytes(name: string): { bytes: Buffer; flags: number } {
  const bytes = Buffer.from(name, 'utf8');
  // ASCII names need no flag; Python's zipfile then decodes as cp437, identical for ASCII.
  return { bytes, flags: bytes.length === name.length ? 0 : FLAG_UTF8 };
}

/** A local header; with `descriptor`, CRC and sizes are zero here and follow the data. */
export function localHeader(entry: ZipEntryInfo): Buffer {
  const { bytes, flags } = nameBytes(entry.name);
  const extra = entry.zip64 ? Buffer.alloc(20) : Buffer.alloc(0);
  if (entry.zip64) {
    extra.writeUInt16LE(0x0001, 0);
    extra.writeUInt16LE(16, 2);
    extra.writeBigUInt64LE(BigInt(entry.descriptor ? 0 : entry.size), 4);
    extra.writeBigUInt64LE(BigInt(entry.descriptor ? 0 : entry.compressedSize), 12);
  }
  const header = Buffer.alloc(30);
  const { time, date } = dosTime(entry.modified);
  header.writeUInt32LE(LOCAL, 0);
  header.writeUInt16LE(entry.zip64 ? 45 : 20, 4);
  header.writeUInt16LE(flags | (entry.descriptor ? FLAG_DESCRIPTOR : 0), 6);
  header.writeUInt16LE(entry.method, 8);
  header.writeUInt16LE(time, 10);
  header.writeUInt16LE(date, 12);
  const known = !entry.descriptor;
  header.writeUInt32LE(known ? entry.crc >>> 0 : 0, 14);
  header.writeUInt32LE(entry.zip64 ? MAX32 : known ? entry.compressedSize : 0, 18);
  header.writeUInt32LE(entry.zip64 ? MAX32 : known ? entry.size : 0, 22);
  header.writeUInt16LE(bytes.length, 26);
  header.writeUInt16LE(extra.length, 28);
  return Buffer.concat([header, bytes, extra]);
}

/** The data descriptor after an entry written with `descriptor` (8-byte sizes with ZIP64). */
export function dataDescriptor(entry: ZipEntryInfo): Buffer {
  const buffer = Buffer.alloc(entry.zip64 ? 24 : 16);
  buffer.writeUInt32LE(DESCRIPTOR, 0);
  buffer.writeUInt32LE(entry.crc >>> 0, 4);
  if (entry.zip64) {
    buffer.writeBigUInt64LE(BigInt(entry.compressedSize), 8);
    buffer.writeBigUInt64LE(BigInt(entry.size), 16);
  } else {
    buffer.writeUInt32LE(entry.compressedSize, 8);
    buffer.writeUInt32LE(entry.size, 12);
  }
  return buffer;
}

/** The entry's central directory record. */
export function centralRecord(entry: ZipEntryInfo): Buffer {
  const { bytes, flags } = nameBytes(entry.name);
  const wide: bigint[] = [];
  const field = (value: number) => {
    if (value < MAX32) return value;
    wide.push(BigInt(value));
    return MAX32;
  };
  // The ZIP64 extra lists, in this order, only the fields that overflow.
  const size = field(entry.size);
  const compressed = field(entry.compressedSize);
  const offset = field(entry.offset);
  const extra = Buffer.alloc(wide.length > 0 ? 4 + 8 * wide.length : 0);
  if (wide.length > 0) {
    extra.writeUInt16LE(0x0001, 0);
    extra.writeUInt16LE(8 * wide.length, 2);
    wide.forEach((value, index) => extra.writeBigUInt64LE(value, 4 + 8 * index));
  }
  const record = Buffer.alloc(46);
  const { time, date } = dosTime(entry.modified);
  record.writeUInt32LE(CENTRAL, 0);
  record.writeUInt16LE(MADE_BY, 4);
  record.writeUInt16LE(entry.zip64 || wide.length > 0 ? 45 : 20, 6);
  record.writeUInt16LE(flags | (entry.descriptor ? FLAG_DESCRIPTOR : 0), 8);
  record.writeUInt16LE(entry.method, 10);
  record.writeUInt16LE(time, 12);
  record.writeUInt16LE(date, 14);
  record.writeUInt32LE(entry.crc >>> 0, 16);
  record.writeUInt32LE(compressed, 20);
  record.writeUInt32LE(size, 24);
  record.writeUInt16LE(bytes.length, 28);
  record.writeUInt16LE(extra.length, 30);
  // Comment length, disk number start, internal attributes: all zero.
  record.writeUInt32LE((REGULAR_FILE << 16) >>> 0, 38);
  record.writeUInt32LE(offset, 42);
  return Buffer.concat([record, bytes, extra]);
}

/** The end of central directory, preceded by the ZIP64 end and locator when needed. */
export function endRecords(count: number, directoryOffset: number, directorySize: number): Buffer {
  const needs64 = count >= MAX16 || directoryOffset >= MAX32 || directorySize >= MAX32;
  const parts: Buffer[] = [];
  if (needs64) {
    const end64 = Buffer.alloc(56);
    end64.writeUInt32LE(END64, 0);
    end64.writeBigUInt64LE(44n, 4);
    end64.writeUInt16LE(MADE_BY, 12);
    end64.writeUInt16LE(45, 14);
    // Disk numbers (16, 20) stay zero.
    end64.writeBigUInt64LE(BigInt(count), 24);
    end64.writeBigUInt64LE(BigInt(count), 32);
    end64.writeBigUInt64LE(BigInt(directorySize), 40);
    end64.writeBigUInt64LE(BigInt(directoryOffset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(LOCATOR64, 0);
    locator.writeBigUInt64LE(BigInt(directoryOffset + directorySize), 8);
    locator.writeUInt32LE(1, 16);
    parts.push(end64, locator);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END, 0);
  end.writeUInt16LE(Math.min(count, MAX16), 8);
  end.writeUInt16LE(Math.min(count, MAX16), 10);
  end.writeUInt32LE(Math.min(directorySize, MAX32), 12);
  end.writeUInt32LE(Math.min(directoryOffset, MAX32), 16);
  parts.push(end);
  return Buffer.concat(parts);
}
