/** The text of a job's log as the panel holds it, and the byte offset it reaches. */
export interface JobLogBuffer {
  text: string;
  /** Byte offset just after the last chunk; resume following from here. */
  offset: number;
  /** Whether the oldest text was dropped to keep the page light. */
  truncated: boolean;
}

/** Enough for any install log; beyond it the oldest lines go (the agent keeps the full log). */
export const MAX_LOG_CHARS = 500_000;

export function emptyLogBuffer(): JobLogBuffer {
  return { text: '', offset: 0, truncated: false };
}

/**
 * Adds a chunk of log text. A chunk at or before the current offset was already received (a
 * reconnecting stream replays from where it was asked), so it is ignored.
 */
export function appendLogChunk(
  buffer: JobLogBuffer,
  chunk: { offset: number; text: string },
  maxChars: number = MAX_LOG_CHARS,
): JobLogBuffer {
  if (chunk.offset <= buffer.offset) return buffer;
  const text = buffer.text + chunk.text;
  if (text.length <= maxChars) return { text, offset: chunk.offset, truncated: buffer.truncated };
  const cut = text.length - maxChars;
  // Cut at a line start so the first visible line is whole.
  const lineStart = text.indexOf('\n', cut);
  const kept = lineStart === -1 ? text.slice(cut) : text.slice(lineStart + 1);
  return { text: kept, offset: chunk.offset, truncated: true };
}
