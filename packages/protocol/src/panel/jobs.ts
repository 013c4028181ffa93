import { z } from 'zod';
import { Job, JOB_LIST_MAX_LIMIT, JobId, JobKind, JobState } from '../jobs';

/** A job as the control plane mirrors it, with the server it runs on and who asked for it. */
export const JobView = Job.extend({
  serverId: z.string(),
  serverName: z.string(),
  /** The panel user's email, or null when the job was started outside the panel. */
  requestedBy: z.string().nullable(),
});
export type JobView = z.infer<typeof JobView>;

/** `jobs.list` input; every filter is optional. `search` matches the target (substring). */
export const JobListInput = z
  .object({
    serverId: z.uuid().optional(),
    state: JobState.optional(),
    kind: JobKind.optional(),
    search: z.string().trim().max(200).optional(),
    limit: z.number().int().min(1).max(JOB_LIST_MAX_LIMIT).default(100),
  })
  .default({ limit: 100 });
export type JobListInput = z.input<typeof JobListInput>;

/** `jobs.get` and `jobs.cancel` input. */
export const JobIdInput = z.object({ id: JobId });
export type JobIdInput = z.input<typeof JobIdInput>;

/** `jobs.log` subscription input: chunks after `fromOffset` (a byte offset; default 0). */
export const JobLogInput = z.object({
  id: JobId,
  fromOffset: z.number().int().nonnegative().optional(),
});
export type JobLogInput = z.input<typeof JobLogInput>;

/**
 * What `jobs.log` yields: log text with the byte offset just after it (pass the last one back
 * as `fromOffset` to resume), then one `end` with the job as it finished.
 */
export const JobLogEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('chunk'), offset: z.number().int().nonnegative(), text: z.string() }),
  z.object({ type: z.literal('end'), job: JobView }),
]);
export type JobLogEvent = z.infer<typeof JobLogEvent>;
