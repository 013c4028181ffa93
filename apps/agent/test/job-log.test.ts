import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  AgentErrorBody,
  JobLogChunk,
  JobLogEnd,
  createAgentClient,
  type JobLogEvent,
} from '@ordo/protocol';
import { describe, expect, it } from 'vitest';
import { createAgentApp } from '../src';
import { createAgentJobRunner } from '../src/agent-jobs';
import { newJobId } from '../src/jobs/job-id';
import type { JobHandler } from '../src/jobs/job-runner';
import { captureLogger, testConfig, useTempDir } from './helpers';
import { gate, nextEvent, serveApp, sseReader, waitFor } from './job-support';

async function served() {
  const root = await useTempDir();
  const config = testConfig(root);
  const logger = captureLogger().logger;
  const runner = createAgentJobRunner({ root, logger });
  await runner.recoverInterruptedJobs();
  const app = createAgentApp({ config, logger, startedAt: new Date(), jobs: runner });
  const url = await serveApp(app);
  const headers = { authorization: `Bearer ${config.token}` };
  const start = (handler: JobHandler) =>
    runner.enqueue({
      kind: 'version.install',
      target: '17.0',
      conflictMessage: () => 'busy',
      handler,
    });
  const openLog = (id: string, extra: Record<string, string> = {}, query = '') =>
    fetch(`${url}/v1/jobs/${id}/log${query}`, { headers: { ...headers, ...extra } });
  const client = createAgentClient({ baseUrl: url, token: config.token });
  return { root, runner, url, headers, start, openLog, client };
}

/** A job that writes `lines[i]` once `gates[i]` opens; the test drives it line by line. */
function steppedJob(lines: string[]) {
  const gates = lines.map(() => gate());
  const handler: JobHandler = async (context) => {
    for (const [index, line] of lines.entries()) {
      await gates[index]?.wait;
      context.log(line);
    }
  };
  return { gates, handler };
}

describe('GET /v1/jobs/:id/log', () => {
  it('streams lines live as they are written, then the end event with the final job', async () => {
    const { start, openLog } = await served();
    const { gates, handler } = steppedJob(['one', 'two', 'three ü']);
    const job = await start(handler);

    const res = await openLog(job.id);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events = sseReader(res);

    gates[0]?.open();
    const first = await nextEvent(events);
    expect(first.event).toBe('log');
    expect(JobLogChunk.parse(JSON.parse(first.data))).toEqual({ offset: 4, text: 'one\n' });
    expect(first.id).toBe('4');

    gates[1]?.open();
    expect(JobLogChunk.parse(JSON.parse((await nextEvent(events)).data))).toEqual({
      offset: 8,
      text: 'two\n',
    });

    gates[2]?.open();
    const texts: string[] = [];
    for (;;) {
      const event = await nextEvent(events);
      if (event.event === 'end') {
        expect(JobLogEnd.parse(JSON.parse(event.data)).job).toMatchObject({
          id: job.id,
          state: 'succeeded',
        });
        break;
      }
      texts.push(JobLogChunk.parse(JSON.parse(event.data)).text);
    }
    expect(texts.join('')).toBe('three ü\nSucceeded\n');
    expect((await events.next()).done).toBe(true);
  });

  it('resumes from Last-Event-ID or ?offset= with exactly the rest: no repeat, no gap', async () => {
    const { root, start, openLog } = await served();
    const lines = Array.from({ length: 6 }, (_, index) => `line ${index} ${'é'.repeat(index)}`);
    const { gates, handler } = steppedJob(lines);
    const job = await start(handler);

    const firstStream = sseReader(await openLog(job.id));
    gates[0]?.open();
    gates[1]?.open();
    let received = '';
    let lastId = '0';
    while (!received.endsWith(`${lines[1]}\n`)) {
      const event = await nextEvent(firstStream);
      received += JobLogChunk.parse(JSON.parse(event.data)).text;
      lastId = event.id ?? '';
    }
    await firstStream.return(undefined);

    // Written while nobody follows.
    gates[2]?.open();
    gates[3]?.open();
    const logFile = join(root, 'jobs', `${job.id}.log`);
    await waitFor(
      async () => (await readFile(logFile, 'utf8')).includes(lines[3] ?? '?'),
      'line 3',
    );

    const resumed = sseReader(await openLog(job.id, { 'last-event-id': lastId }));
    gates[4]?.open();
    gates[5]?.open();
    for (;;) {
      const event = await nextEvent(resumed);
      if (event.event === 'end') break;
      const chunk = JobLogChunk.parse(JSON.parse(event.data));
      received += chunk.text;
      expect(event.id).toBe(String(chunk.offset));
    }
    const full = await readFile(logFile, 'utf8');
    expect(received).toBe(full);
    expect(full).toBe(`${lines.join('\n')}\nSucceeded\n`);

    // ?offset= wins over Last-Event-ID; a finished job's log comes at once, then the end.
    const offset = Buffer.byteLength(`${lines.slice(0, 5).join('\n')}\n`);
    const tail = sseReader(await openLog(job.id, { 'last-event-id': '0' }, `?offset=${offset}`));
    const chunk = JobLogChunk.parse(JSON.parse((await nextEvent(tail)).data));
    expect(chunk).toEqual({ offset: Buffer.byteLength(full), text: `${lines[5]}\nSucceeded\n` });
    expect((await nextEvent(tail)).event).toBe('end');
  });

  it('follows through the typed client, and resumes from an offset', async () => {
    const { start, client } = await served();
    const { gates, handler } = steppedJob(['alpha', 'beta']);
    const job = await start(handler);
    gates.forEach((step) => step.open());

    const events: JobLogEvent[] = [];
    for await (const event of client.followJobLog(job.id)) events.push(event);
    const text = events.flatMap((event) => (event.type === 'log' ? [event.text] : [])).join('');
    expect(text).toBe('alpha\nbeta\nSucceeded\n');
    expect(events.at(-1)).toMatchObject({ type: 'end', job: { id: job.id, state: 'succeeded' } });

    const rest: string[] = [];
    for await (const event of client.followJobLog(job.id, { fromOffset: 6 })) {
      if (event.type === 'log') rest.push(event.text);
    }
    expect(rest.join('')).toBe('beta\nSucceeded\n');

    const unknown = newJobId(new Date());
    const consume = async () => {
      for await (const _event of client.followJobLog(unknown)) break;
    };
    await expect(consume()).rejects.toMatchObject({
      code: 'agent_error',
      status: 404,
      agentCode: 'not_found',
      message: `No job ${unknown}`,
    });
  });

  it('answers JSON errors before streaming: 404 for an unknown job, 400 for a bad id or offset', async () => {
    const { openLog, start } = await served();
    const unknown = newJobId(new Date());
    const missing = await openLog(unknown);
    expect(missing.status).toBe(404);
    expect(AgentErrorBody.parse(await missing.json()).error).toMatchObject({
      code: 'not_found',
      message: `No job ${unknown}`,
    });

    const traversal = await openLog('..%2f..%2fjobs');
    expect(traversal.status).toBe(400);
    expect(AgentErrorBody.parse(await traversal.json()).error.message).toBe(
      'id: Job id must look like j_0m8k2q3x1_4f9a0b2c7d',
    );

    const job = await start(() => Promise.resolve());
    const badOffset = await openLog(job.id, {}, '?offset=-1');
    expect(badOffset.status).toBe(400);
    expect(AgentErrorBody.parse(await badOffset.json()).error.message).toBe(
      'offset: must be a byte offset (a whole number ≥ 0)',
    );
    const badHeader = await openLog(job.id, { 'last-event-id': 'abc' });
    expect(badHeader.status).toBe(400);
    expect(AgentErrorBody.parse(await badHeader.json()).error.message).toBe(
      'Last-Event-ID: must be a byte offset (a whole number ≥ 0)',
    );
  });
});
