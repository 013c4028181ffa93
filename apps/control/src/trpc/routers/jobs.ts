import { JobIdInput, JobListInput, JobLogInput, type JobLogEvent } from '@ordo/protocol/panel';
import { cancelJob, getJob, listJobs, streamJobLog } from '../../features/jobs';
import type { ControlDeps } from '../../deps';
import { protectedProcedure, router } from '../init';
import { toTRPCError } from '../to-trpc-error';

export const jobsRouter = router({
  list: protectedProcedure
    .meta({ permission: 'fleet.read', target: 'list' })
    .input(JobListInput)
    .query(({ ctx, input }) => listJobs(ctx.deps, input)),

  get: protectedProcedure
    .meta({ permission: 'fleet.read', target: 'job' })
    .input(JobIdInput)
    .query(({ ctx, input }) => getJob(ctx.deps, input.id)),

  cancel: protectedProcedure
    .meta({ permission: 'jobs.operate', target: 'job' })
    .input(JobIdInput)
    .mutation(({ ctx, input }) => cancelJob(ctx.deps, input.id)),

  /** Stored chunks after `fromOffset`, then live ones, then one `end` (served over SSE). */
  log: protectedProcedure
    .meta({ permission: 'fleet.read', target: 'job' })
    .input(JobLogInput)
    .subscription(async ({ ctx, input, signal }) => {
      // Checked before streaming so an unknown job is a plain NOT_FOUND.
      await getJob(ctx.deps, input.id);
      return mapStreamErrors(
        ctx.deps,
        streamJobLog(ctx.deps, input.id, { fromOffset: input.fromOffset, signal }),
      );
    }),
});

/** Errors thrown mid-stream skip the procedure middleware; map them the same way here. */
async function* mapStreamErrors(
  deps: ControlDeps,
  events: AsyncGenerator<JobLogEvent>,
): AsyncGenerator<JobLogEvent> {
  try {
    yield* events;
  } catch (error) {
    throw toTRPCError(error, deps.logger);
  }
}
