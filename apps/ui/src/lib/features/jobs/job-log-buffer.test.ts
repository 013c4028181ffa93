import { describe, expect, it } from 'vitest';
import { appendLogChunk, emptyLogBuffer } from './job-log-buffer';

describe('appendLogChunk', () => {
  it('appends chunks in order and remembers the offset to resume from', () => {
    let buffer = emptyLogBuffer();
    buffer = appendLogChunk(buffer, { offset: 6, text: 'clone\n' });
    buffer = appendLogChunk(buffer, { offset: 11, text: 'venv\n' });
    expect(buffer).toEqual({ text: 'clone\nvenv\n', offset: 11, truncated: false });
  });

  it('ignores a chunk replayed by a reconnecting stream', () => {
    const buffer = appendLogChunk(emptyLogBuffer(), { offset: 6, text: 'clone\n' });
    expect(appendLogChunk(buffer, { offset: 6, text: 'clone\n' })).toBe(buffer);
    expect(appendLogChunk(buffer, { offset: 3, text: 'clo' })).toBe(buffer);
  });

  it('drops the oldest whole lines past the limit, and says so', () => {
    let buffer = emptyLogBuffer();
    buffer = appendLogChunk(buffer, { offset: 10, text: 'line one\n' }, 20);
    buffer = appendLogChunk(buffer, { offset: 20, text: 'line two\n' }, 20);
    expect(buffer.truncated).toBe(false);
    buffer = appendLogChunk(buffer, { offset: 30, text: 'line three\n' }, 20);
    expect(buffer).toEqual({ text: 'line three\n', offset: 30, truncated: true });
  });

  it('keeps the tail of a single line longer than the limit', () => {
    const buffer = appendLogChunk(emptyLogBuffer(), { offset: 10, text: 'abcdefghij' }, 4);
    expect(buffer.text).toBe('ghij');
    expect(buffer.truncated).toBe(true);
  });
});
