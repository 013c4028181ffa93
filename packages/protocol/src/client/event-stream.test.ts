import { describe, expect, it } from 'vitest';
import { parseEventStream, type ServerSentEvent } from './event-stream';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function parse(chunks: string[]): Promise<ServerSentEvent[]> {
  const events: ServerSentEvent[] = [];
  for await (const event of parseEventStream(streamOf(chunks))) events.push(event);
  return events;
}

describe('parseEventStream', () => {
  it('parses events, ids, multi-line data and skips comments', async () => {
    expect(
      await parse([
        ': ping\n\n',
        'event: log\nid: 4\ndata: {"a":1}\n\n',
        'data: first\ndata: second\n\n',
        'event: end\ndata:no-space\n\n',
      ]),
    ).toEqual([
      { event: 'log', data: '{"a":1}', id: '4' },
      { event: 'message', data: 'first\nsecond', id: '4' },
      { event: 'end', data: 'no-space', id: '4' },
    ]);
  });

  it('handles lines, multi-byte characters and \\r\\n split across chunks', async () => {
    const text = 'event: log\r\ndata: grüße\r\n\r\nevent: end\rdata: x\r\r';
    const bytes = new TextEncoder().encode(text);
    // Every possible split point, including inside "ü" and between "\r" and "\n".
    for (let cut = 1; cut < bytes.length; cut += 1) {
      const decoder = new TextDecoder();
      const first = bytes.slice(0, cut);
      const second = bytes.slice(cut);
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(first);
          controller.enqueue(second);
          controller.close();
        },
      });
      const events: ServerSentEvent[] = [];
      for await (const event of parseEventStream(stream)) events.push(event);
      expect(events, decoder.decode(first)).toEqual([
        { event: 'log', data: 'grüße', id: null },
        { event: 'end', data: 'x', id: null },
      ]);
    }
  });

  it('drops an event the stream cut off before its blank line', async () => {
    expect(await parse(['data: whole\n\n', 'data: cut'])).toEqual([
      { event: 'message', data: 'whole', id: null },
    ]);
  });
});
