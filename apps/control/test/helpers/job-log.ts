import type { TRPCClient } from '@trpc/client';
import type { AgentClient } from '@ordo/protocol';
import type { JobLogEvent, JobLogInput } from '@ordo/protocol/panel';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/types';
import type { AppRouter } from '../../src/trpc/root';

/** Subscribes to `jobs.log` over SSE like the panel and gathers every event up to `end`. */
export function collectJobLog(
  trpc: TRPCClient<AppRouter>,
  input: JobLogInput,
): Promise<JobLogEvent[]> {
  return new Promise((resolve, reject) => {
    const events: JobLogEvent[] = [];
    const subscription = trpc.jobs.log.subscribe(input, {
      onData(event) {
        events.push(event);
        if (event.type === 'end') {
          subscription.unsubscribe();
          resolve(events);
        }
      },
      onError(error) {
        subscription.unsubscribe();
        reject(error);
      },
    });
  });
}

export function chunkText(events: JobLogEvent[]): string {
  return events.flatMap((event) => (event.type === 'chunk' ? [event.text] : [])).join('');
}

/** The job's whole log as the agent itself serves it. */
export async function agentLog(client: AgentClient, id: string): Promise<string> {
  let text = '';
  for await (const event of client.followJobLog(id)) if (event.type === 'log') text += event.text;
  return text;
}

/**
 * The mirrored chunks of a job, checked to tile the log exactly: from 0, each starting where
 * the previous one ended, up to the job's stored offset. Returns their text.
 */
export async function storedLog(db: Kysely<Database>, id: string): Promise<string> {
  const chunks = await db
    .selectFrom('job_log_chunks')
    .selectAll()
    .where('job_id', '=', id)
    .orderBy('end_offset')
    .execute();
  const job = await db
    .selectFrom('jobs')
    .select('log_offset')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  let offset = 0;
  for (const chunk of chunks) {
    if (Number(chunk.start_offset) !== offset) {
      throw new Error(
        `chunk ${chunk.start_offset}-${chunk.end_offset} does not start at ${offset}`,
      );
    }
    if (Buffer.byteLength(chunk.text) !== Number(chunk.end_offset) - offset) {
      throw new Error(`chunk ending at ${chunk.end_offset} does not hold its bytes`);
    }
    offset = Number(chunk.end_offset);
  }
  if (offset !== Number(job.log_offset)) {
    throw new Error(`chunks end at ${offset}, the job's offset is ${job.log_offset}`);
  }
  return chunks.map((chunk) => chunk.text).join('');
}
