import type { ControlDeps } from './deps';
import { type JobFollower, type JobFollowerOptions, startJobFollower } from './features/jobs';
import { onRepoJobFinished } from './features/repos';
import { syncServer } from './features/servers';

/**
 * Starts following every unfinished job of the mirror. Every job kind so far (version install,
 * instance creation) changes what the server's instances look like, so each end refreshes them.
 */
export function startJobMirror(
  deps: ControlDeps,
  options: Omit<JobFollowerOptions, 'onFinished'> = {},
): JobFollower {
  return startJobFollower(deps, {
    ...options,
    onFinished: async (serverId, job) => {
      // A repository's clone or pull ended: start the pull its pushes queued meanwhile.
      await onRepoJobFinished(deps, job).catch((error: unknown) =>
        deps.logger.warn({ err: error, jobId: job.id }, 'cannot hand over a repository pull'),
      );
      try {
        await syncServer(deps, serverId);
      } catch (error) {
        deps.logger.warn({ err: error, serverId }, 'cannot refresh the instances after a job');
      }
    },
  });
}
