import type { z } from 'zod';
import { JOB_LOG_END_EVENT, JOB_LOG_EVENT, JobLogChunk, JobLogEnd, type Job } from '../jobs';
import { AgentClientError } from './agent-client-error';
import { parseEventStream } from './event-stream';
import { errorFromAnswer, notJsonError, transportError } from './response-errors';

/** What following a job's log yields: log text (with the offset to resume from), then the end. */
export type JobLogEvent = ({ type: 'log' } & JobLogChunk) | { type: 'end'; job: Job };

export interface FollowJobLogOptions {
  /** Byte offset in the log to start from: 0, or the `offset` of the last chunk received. */
  fromOffset?: number;
  /** Stops following; the iteration then ends without an `end` event. */
  signal?: AbortSignal;
  /** How many times in a row a broken stream is reopened before giving up (default 5). */
  maxReconnects?: number;
  /** A stream silent for this long counts as broken (default 60 s; the agent pings every 15 s). */
  idleTimeoutMs?: number;
}

export interface LogTransport {
  base: string;
  token: string;
  fetch: typeof fetch;
  timeoutMs: number;
}

type Attempt = { kind: 'ended'; job: Job } | { kind: 'broken'; cause: unknown };

/**
 * Streams `GET /v1/jobs/:id/log`. A stream that breaks off is reopened from the last offset
 * received, so no text is repeated or lost; agent errors (unknown job, bad token) are thrown.
 */
export async function* followJobLog(
  transport: LogTransport,
  id: string,
  options: FollowJobLogOptions = {},
): AsyncGenerator<JobLogEvent> {
  const maxReconnects = options.maxReconnects ?? 5;
  const cursor = { offset: options.fromOffset ?? 0, failures: 0 };

  for (;;) {
    if (options.signal?.aborted) return;
    const result = yield* streamOnce(transport, id, cursor, options);
    if (result.kind === 'ended') {
      yield { type: 'end', job: result.job };
      return;
    }
    if (options.signal?.aborted) return;
    cursor.failures += 1;
    if (cursor.failures > maxReconnects) {
      throw new AgentClientError(
        'unreachable',
        `The log stream of job ${id} at ${transport.base} broke off ${cursor.failures} times in a row; ` +
          `follow it again from offset ${cursor.offset}`,
        { cause: result.cause },
      );
    }
    await pause(Math.min(250 * 2 ** cursor.failures, 5000), options.signal);
  }
}

async function* streamOnce(
  transport: LogTransport,
  id: string,
  cursor: { offset: number; failures: number },
  options: FollowJobLogOptions,
): AsyncGenerator<JobLogEvent, Attempt> {
  const { base } = transport;
  const controller = new AbortController();
  const signal = options.signal
    ? AbortSignal.any([options.signal, controller.signal])
    : controller.signal;
  let timer = setTimeout(() => controller.abort(timeoutReason()), transport.timeoutMs);
  const idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
  const keepAlive = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(timeoutReason()), idleTimeoutMs);
  };

  try {
    let response: Response;
    try {
      response = await transport.fetch(
        `${base}/v1/jobs/${encodeURIComponent(id)}/log?offset=${cursor.offset}`,
        {
          headers: { accept: 'text/event-stream', authorization: `Bearer ${transport.token}` },
          signal,
        },
      );
    } catch (error) {
      return { kind: 'broken', cause: transportError(error, transport.timeoutMs, base) };
    }

    if (!response.ok) {
      const body: unknown = await response.json().catch((error: unknown) => {
        throw notJsonError(response.status, base, error);
      });
      throw errorFromAnswer(response.status, body, base);
    }
    const type = response.headers.get('content-type') ?? '';
    if (!type.startsWith('text/event-stream') || response.body === null) {
      await response.body?.cancel();
      throw new AgentClientError(
        'bad_response',
        `The agent answered the log of job ${id} with "${type}" instead of an event stream`,
        { status: response.status },
      );
    }

    keepAlive();
    const watched = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, sink) {
          keepAlive();
          sink.enqueue(chunk);
        },
      }),
    );
    try {
      for await (const event of parseEventStream(watched)) {
        if (event.event === JOB_LOG_EVENT) {
          const chunk = parseData(JobLogChunk, event.data, id);
          // Text up to an offset already received would be a repeat. Only progress proves
          // the stream works, so a server repeating itself still counts as failing.
          if (chunk.offset <= cursor.offset) continue;
          cursor.failures = 0;
          cursor.offset = chunk.offset;
          yield { type: 'log', ...chunk };
        } else if (event.event === JOB_LOG_END_EVENT) {
          return { kind: 'ended', job: parseData(JobLogEnd, event.data, id).job };
        }
      }
    } catch (error) {
      if (error instanceof AgentClientError) throw error;
      return { kind: 'broken', cause: error };
    }
    return { kind: 'broken', cause: new Error('the stream ended before the job did') };
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

function parseData<T>(schema: z.ZodType<T>, data: string, id: string): T {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    json = undefined;
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new AgentClientError(
      'bad_response',
      `The agent sent an event in the log of job ${id} that does not match the protocol`,
    );
  }
  return parsed.data;
}

function timeoutReason(): Error {
  const error = new Error('The agent did not send anything in time');
  error.name = 'TimeoutError';
  return error;
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
