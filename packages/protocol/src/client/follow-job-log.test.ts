import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { Job } from '../jobs';
import { createAgentClient } from './agent-client';
import type { JobLogEvent } from './follow-job-log';

const JOB: Job = {
  id: 'j_0m8k2q3x1_4f9a0b2c7d',
  kind: 'version.install',
  state: 'succeeded',
  progress: 1,
  target: '17.0',
  createdAt: '2025-01-01T00:00:00.000Z',
  startedAt: '2025-01-01T00:00:01.000Z',
  endedAt: '2025-01-01T00:00:02.000Z',
  error: null,
};

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** A real HTTP server; `handle` gets the requested offset of each log request. */
async function serve(handle: (offset: number, res: ServerResponse, req: IncomingMessage) => void) {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    handle(Number(url.searchParams.get('offset')), res, req);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return createAgentClient({ baseUrl: `http://127.0.0.1:${address.port}`, token: 't'.repeat(32) });
}

function log(res: ServerResponse, offset: number, text: string): void {
  res.write(`event: log\nid: ${offset}\ndata: ${JSON.stringify({ offset, text })}\n\n`);
}

async function collect(events: AsyncIterable<JobLogEvent>): Promise<JobLogEvent[]> {
  const all: JobLogEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

describe('followJobLog', () => {
  it('reopens a stream that broke off from the last offset received', async () => {
    const offsets: number[] = [];
    const client = await serve((offset, res, req) => {
      offsets.push(offset);
      expect(req.headers.authorization).toBe(`Bearer ${'t'.repeat(32)}`);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      if (offset === 0) {
        log(res, 6, 'hello\n');
        // Half an event, then the connection drops.
        res.write('event: log\nid: 12\ndata: {"offs');
        setTimeout(() => res.destroy(), 20);
        return;
      }
      log(res, 12, 'world\n');
      res.end(`event: end\ndata: ${JSON.stringify({ job: JOB })}\n\n`);
    });

    expect(await collect(client.followJobLog(JOB.id))).toEqual([
      { type: 'log', offset: 6, text: 'hello\n' },
      { type: 'log', offset: 12, text: 'world\n' },
      { type: 'end', job: JOB },
    ]);
    expect(offsets).toEqual([0, 6]);
  });

  it('gives up after maxReconnects breaks in a row, saying where to resume', async () => {
    const client = await serve((_offset, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      log(res, 3, 'ab\n');
      res.end();
    });
    const events = client.followJobLog(JOB.id, { fromOffset: 3, maxReconnects: 1 });
    await expect(collect(events)).rejects.toMatchObject({
      code: 'unreachable',
      message: expect.stringContaining(`follow it again from offset 3`) as string,
    });
  });

  it('throws the agent error of a refused request at once', async () => {
    let requests = 0;
    const client = await serve((_offset, res) => {
      requests += 1;
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'not_found', message: `No job ${JOB.id}` } }));
    });
    await expect(collect(client.followJobLog(JOB.id))).rejects.toMatchObject({
      code: 'agent_error',
      status: 404,
      agentCode: 'not_found',
      message: `No job ${JOB.id}`,
    });
    expect(requests).toBe(1);
  });

  it('ends quietly when the caller aborts', async () => {
    const client = await serve((_offset, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      log(res, 2, 'a\n');
    });
    const controller = new AbortController();
    const seen: JobLogEvent[] = [];
    for await (const event of client.followJobLog(JOB.id, { signal: controller.signal })) {
      seen.push(event);
      controller.abort();
    }
    expect(seen).toEqual([{ type: 'log', offset: 2, text: 'a\n' }]);
  });
});
