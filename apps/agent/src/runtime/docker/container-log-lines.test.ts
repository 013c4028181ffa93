import { describe, expect, it } from 'vitest';
import { containerLogLines, demuxLogs } from './container-log-lines';

function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe('demuxLogs', () => {
  it('joins the stdout and stderr frames of a container without TTY into lines', () => {
    const raw = Buffer.concat([
      frame(2, 'Fatal Python error: init'),
      frame(2, '_fs_encoding\n'),
      frame(1, 'ok\n\n'),
    ]);
    expect(demuxLogs(raw)).toEqual(['Fatal Python error: init_fs_encoding', 'ok']);
  });

  it('reads the plain text of a container with a TTY', () => {
    expect(demuxLogs('first\r\nsecond\n')).toEqual(['first', 'second']);
  });
});

describe('containerLogLines', () => {
  const lines = [
    'Fatal Python error: init_fs_encoding',
    '2026-01-10 12:00:00,123 7 ERROR shop odoo.sql_db: connection failed',
    'Traceback (most recent call last):',
    '  File "x.py", line 1',
    '2026-01-10 12:00:01,000 7 INFO shop odoo.service.server: stopping',
  ];

  it('parses Odoo lines, joins tracebacks and keeps other output as records without level', () => {
    expect(containerLogLines(lines, { limit: 10 })).toEqual([
      expect.objectContaining({
        offset: 0,
        level: null,
        message: 'Fatal Python error: init_fs_encoding',
      }),
      expect.objectContaining({
        offset: 1,
        level: 'ERROR',
        logger: 'odoo.sql_db',
        message: 'connection failed\nTraceback (most recent call last):\n  File "x.py", line 1',
      }),
      expect.objectContaining({ offset: 4, level: 'INFO', message: 'stopping' }),
    ]);
  });

  it('filters by level and keeps the last `limit` records', () => {
    expect(
      containerLogLines(lines, { level: 'ERROR', limit: 10 }).map((line) => line.offset),
    ).toEqual([1]);
    expect(containerLogLines(lines, { limit: 1 }).map((line) => line.offset)).toEqual([4]);
  });
});
