import {
  JOB_LOG_END_EVENT,
  JOB_LOG_EVENT,
  JobId,
  JobListQuery,
  type JobAccepted,
  type JobList,
  type JobLogEnd,
} from '@ordo/protocol';
import { Hono } from 'hono';
import type { Logger } from 'pino';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import type { AgentEnv } from '../app-env';
import { AgentError } from '../errors';
import type { JobRunner } from '../jobs/job-runner';
import { streamJobLog } from '../jobs/stream-job-log';
import { parseInput } from './validate';

export interface JobRouteDeps {
  runner: JobRunner;
  logger: Logger;
  /** How often an idle log stream sends a comment, so proxies keep it open. */
  pingIntervalMs?: number;
}

const LogOffset = z.coerce
  .number({ error: 'must be a byte offset (a whole number ≥ 0)' })
  .int({ error: 'must be a byte offset (a whole number ≥ 0)' })
  .min(0, { error: 'must be a byte offset (a whole number ≥ 0)' })
  .max(Number.MAX_SAFE_INTEGER, { error: 'must be a byte offset (a whole number ≥ 0)' });

export function jobRoutes(deps: JobRouteDeps) {
  const { runner } = deps;

  const findJob = async (rawId: string) => {
    const id = parseInput(JobId, rawId, 'id');
    const job = await runner.get(id);
    if (job === null) throw new AgentError('not_found', 404, `No job ${id}`);
    return job;
  };

  return new Hono<AgentEnv>()
    .get('/v1/jobs', async (c) => {
      const query = parseInput(JobListQuery, c.req.query(), 'query');
      const body: JobList = { jobs: await runner.list(query) };
      return c.json(body);
    })
    .get('/v1/jobs/:id', async (c) => c.json(await findJob(c.req.param('id'))))
    .post('/v1/jobs/:id/cancel', async (c) => {
      const id = parseInput(JobId, c.req.param('id'), 'id');
      const body: JobAccepted = { job: await runner.cancel(id) };
      return c.json(body, 202);
    })
    .get('/v1/jobs/:id/log', async (c) => {
      const job = await findJob(c.req.param('id'));
      const fromQuery = c.req.query('offset');
      const fromOffset =
        fromQuery !== undefined
          ? parseInput(LogOffset, fromQuery, 'offset')
          : parseInput(LogOffset, c.req.header('last-event-id') ?? 0, 'Last-Event-ID');

      return streamSSE(c, async (stream) => {
        const closed = new AbortController();
        stream.onAbort(() => closed.abort());
        const ping = setInterval(
          () => void stream.write(': ping\n\n'),
          deps.pingIntervalMs ?? 15_000,
        );
        try {
          const final = await streamJobLog({
            runner,
            id: job.id,
            fromOffset,
            signal: closed.signal,
            send: (chunk) =>
              stream.writeSSE({
                event: JOB_LOG_EVENT,
                id: String(chunk.offset),
                data: JSON.stringify(chunk),
              }),
          });
          if (final !== null) {
            const end: JobLogEnd = { job: final };
            await stream.writeSSE({ event: JOB_LOG_END_EVENT, data: JSON.stringify(end) });
          }
        } catch (error) {
          // The answer has started: all that is left is to log and close; the client reconnects.
          deps.logger.error(
            { requestId: c.get('requestId'), jobId: job.id, err: error },
            'job log stream failed',
          );
        } finally {
          clearInterval(ping);
        }
      });
    });
}
