import { appendFile, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readOdooLog } from './log-reader';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function logFile(content: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ordo-odoo-log-'));
  dirs.push(dir);
  const path = join(dir, 'odoo.log');
  await writeFile(path, content);
  return path;
}

const line = (n: number, level = 'INFO', message = `message ${n}`) =>
  `2025-03-01 10:00:${String(n % 60).padStart(2, '0')},${String(n % 1000).padStart(3, '0')} 4242 ${level} shop odoo.modules.loading: ${message} \n`;

describe('reading the Odoo log', () => {
  it('parses records and attaches traceback lines to the record before them', async () => {
    const path = await logFile(
      'Traceback from before the first record\n' +
        line(1) +
        '2025-03-01 10:00:02,500 4242 ERROR ? odoo.http: Exception during request: \n' +
        'Traceback (most recent call last):\n' +
        '  File "x.py", line 1\n' +
        'ValueError: boom\n' +
        '2025-03-01 10:00:03,000 4242 INFO ? werkzeug: 127.0.0.1 - - "GET /web/health HTTP/1.1" 200 - 2 0.001 0.002\n',
    );
    const { lines } = await readOdooLog(path, { limit: 10 });
    expect(lines).toEqual([
      {
        offset: 0,
        time: null,
        pid: null,
        level: null,
        database: null,
        logger: null,
        message: 'Traceback from before the first record',
      },
      {
        offset: 39,
        time: '2025-03-01T10:00:01.001Z',
        pid: 4242,
        level: 'INFO',
        database: 'shop',
        logger: 'odoo.modules.loading',
        message: 'message 1',
      },
      expect.objectContaining({
        level: 'ERROR',
        database: null,
        logger: 'odoo.http',
        message:
          'Exception during request:\nTraceback (most recent call last):\n  File "x.py", line 1\nValueError: boom',
      }),
      expect.objectContaining({
        logger: 'werkzeug',
        message: '127.0.0.1 - - "GET /web/health HTTP/1.1" 200 - 2 0.001 0.002',
      }),
    ]);
  });

  it('keeps records at or above the level', async () => {
    const path = await logFile(
      line(1, 'DEBUG') +
        line(2, 'INFO') +
        line(3, 'WARNING') +
        line(4, 'ERROR') +
        line(5, 'CRITICAL'),
    );
    const levels = async (level: 'WARNING' | 'ERROR') =>
      (await readOdooLog(path, { level, limit: 10 })).lines.map((entry) => entry.level);
    expect(await levels('WARNING')).toEqual(['WARNING', 'ERROR', 'CRITICAL']);
    expect(await levels('ERROR')).toEqual(['ERROR', 'CRITICAL']);
    // The last `limit` matching records, even when others come after them.
    const { lines } = await readOdooLog(path, { level: 'WARNING', limit: 1 });
    expect(lines.map((entry) => entry.level)).toEqual(['CRITICAL']);
  });

  it('reads the last records of a large file from its end, leaving a line still being written', async () => {
    const many = Array.from({ length: 5000 }, (_, index) => line(index)).join('');
    const path = await logFile(`${many}2025-03-01 10:00:00,000 4242 INFO shop odoo: partial`);
    const { lines, cursor } = await readOdooLog(path, { limit: 3 });
    expect(lines.map((entry) => entry.message)).toEqual([
      'message 4997',
      'message 4998',
      'message 4999',
    ]);
    expect(cursor).toMatch(new RegExp(`^${Buffer.byteLength(many)}:\\d+$`));

    await appendFile(path, ' line\n');
    const next = await readOdooLog(path, { cursor, limit: 10 });
    expect(next.lines.map((entry) => entry.message)).toEqual(['partial line']);
  });

  it('continues after a cursor without repeating, page by page', async () => {
    const path = await logFile(line(1) + line(2));
    const first = await readOdooLog(path, { limit: 200 });
    expect(first.lines).toHaveLength(2);

    const unchanged = await readOdooLog(path, { cursor: first.cursor, limit: 200 });
    expect(unchanged).toEqual({ lines: [], cursor: first.cursor });

    await appendFile(path, line(3) + line(4, 'ERROR') + line(5));
    const page = await readOdooLog(path, { cursor: first.cursor, limit: 2 });
    expect(page.lines.map((entry) => entry.message)).toEqual(['message 3', 'message 4']);
    const rest = await readOdooLog(path, { cursor: page.cursor, limit: 2 });
    expect(rest.lines.map((entry) => entry.message)).toEqual(['message 5']);

    const errors = await readOdooLog(path, { cursor: first.cursor, level: 'ERROR', limit: 10 });
    expect(errors.lines.map((entry) => entry.message)).toEqual(['message 4']);
    expect(errors.cursor).toBe(rest.cursor);
  });

  it('starts over when logrotate replaced the file', async () => {
    const path = await logFile(line(1) + line(2));
    const { cursor } = await readOdooLog(path, { limit: 200 });
    await rename(path, `${path}.1`);
    await writeFile(path, line(3));
    const after = await readOdooLog(path, { cursor, limit: 200 });
    expect(after.lines.map((entry) => entry.message)).toEqual(['message 3']);
    const again = await readOdooLog(path, { cursor: after.cursor, limit: 200 });
    expect(again.lines).toEqual([]);
  });

  it('answers nothing for a log that does not exist yet', async () => {
    const path = join(await logFile(''), '..', 'missing.log');
    expect(await readOdooLog(path, { limit: 5 })).toEqual({ lines: [], cursor: '0' });
    expect(await readOdooLog(path, { cursor: '10:1', limit: 5 })).toEqual({
      lines: [],
      cursor: '0',
    });
  });
});
