import { execFile } from 'node:child_process';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { crc32, deflateRawSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { openCheckedZip } from './open-zip';
import { createZipFileWriter } from './zip-file-writer';
import { DEFLATED, STORED } from './zip-records';
import { DEFAULT_ZIP_LIMITS } from './zip-limits';

const run = promisify(execFile);
let dir: string;

afterEach(() => rm(dir, { recursive: true, force: true }));

describe('createZipFileWriter', () => {
  it('writes a ZIP64 archive (over 65535 entries) that Python’s zipfile and yauzl read, leading entries first', async () => {
    dir = await mkdtemp(join(tmpdir(), 'ordo-zip-writer-'));
    const path = join(dir, 'many.zip');
    const file = await open(path, 'w');
    const zip = createZipFileWriter(file);
    const modified = new Date('2024-05-06T07:08:10Z');
    for (let index = 0; index < 70_000; index++) {
      const data = Buffer.from(`file ${index}`);
      const entry = await zip.writeEntry(
        {
          name: `filestore/${(index % 256).toString(16).padStart(2, '0')}/f${index}`,
          method: STORED,
          crc: crc32(data),
          compressedSize: data.length,
          size: data.length,
          descriptor: false,
          zip64: false,
          modified,
        },
        data,
      );
      zip.record(entry);
    }
    const text = Buffer.from('-- a dump\n'.repeat(1000));
    const body = deflateRawSync(text);
    const dump = await zip.writeEntry(
      {
        name: 'dump.sql',
        method: DEFLATED,
        crc: crc32(text),
        compressedSize: body.length,
        size: text.length,
        descriptor: false,
        zip64: true,
        modified,
      },
      body,
    );
    zip.record(dump, true);
    const { size, sha256 } = await zip.finish();
    await file.close();

    const script = `
import hashlib, sys, zipfile
data = open(sys.argv[1], 'rb').read()
with zipfile.ZipFile(sys.argv[1]) as z:
    names = z.namelist()
    print(len(names), names[0], names[1], z.testzip(), len(z.read('dump.sql')), len(data), hashlib.sha256(data).hexdigest())
`;
    const { stdout } = await run('python3', ['-c', script, path]);
    expect(stdout.trim()).toBe(
      `70001 dump.sql filestore/00/f0 None ${text.length} ${size} ${sha256}`,
    );
    const checked = await openCheckedZip(path, DEFAULT_ZIP_LIMITS);
    try {
      expect(checked.entries).toHaveLength(70_001);
      const chunks: Buffer[] = [];
      const first = checked.entries[0];
      if (!first) throw new Error('no entries');
      for await (const chunk of await checked.read(first)) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks).equals(text)).toBe(true);
    } finally {
      checked.close();
    }
  }, 120_000);
});
