import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { createZipFileWriter } from '../zip/zip-file-writer';
import { writeFilestoreEntries } from './write-filestore-entries';

const run = promisify(execFile);
let dir: string;

afterEach(() => rm(dir, { recursive: true, force: true }));

describe('writeFilestoreEntries', () => {
  it('stores random and tiny files, deflates text, streams large files with descriptors: zipfile reads the same bytes', async () => {
    dir = await mkdtemp(join(tmpdir(), 'ordo-filestore-entries-'));
    const filestore = join(dir, 'filestore');
    const files: Record<string, Buffer> = {
      'aa/small-random': randomBytes(100 * 1024),
      'aa/small-text': Buffer.from('invoice line\n'.repeat(5000)),
      'bb/large-random': randomBytes(6 * 1024 * 1024),
      'bb/large-text': Buffer.from('a large text attachment\n'.repeat(300_000)),
      'cc/tiny': Buffer.from('x'),
    };
    for (const [name, data] of Object.entries(files)) {
      await mkdir(join(filestore, name.slice(0, 2)), { recursive: true });
      await writeFile(join(filestore, name), data);
    }
    const path = join(dir, 'out.zip');
    const file = await open(path, 'w');
    const zip = createZipFileWriter(file);
    expect(await writeFilestoreEntries(zip, filestore, new AbortController().signal)).toBe(5);
    const { sha256 } = await zip.finish();
    await file.close();

    const script = `
import hashlib, json, sys, zipfile
out = {}
with zipfile.ZipFile(sys.argv[1]) as z:
    assert z.testzip() is None
    for info in z.infolist():
        out[info.filename] = [info.compress_type, hashlib.sha256(z.read(info)).hexdigest()]
out['sha256'] = hashlib.sha256(open(sys.argv[1], 'rb').read()).hexdigest()
print(json.dumps(out))
`;
    const { stdout } = await run('python3', ['-c', script, path]);
    const read = JSON.parse(stdout) as Record<string, [number, string] | string>;
    const hash = (data: Buffer) => createHash('sha256').update(data).digest('hex');
    expect(read).toEqual({
      'filestore/aa/small-random': [0, hash(files['aa/small-random'] ?? Buffer.alloc(0))],
      'filestore/aa/small-text': [8, hash(files['aa/small-text'] ?? Buffer.alloc(0))],
      'filestore/bb/large-random': [0, hash(files['bb/large-random'] ?? Buffer.alloc(0))],
      'filestore/bb/large-text': [8, hash(files['bb/large-text'] ?? Buffer.alloc(0))],
      'filestore/cc/tiny': [0, hash(files['cc/tiny'] ?? Buffer.alloc(0))],
      sha256,
    });
  }, 60_000);
});
