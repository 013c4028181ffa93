import type { ControlDeps } from './deps';
import { type JobFollower, type JobFollowerOptions, startJobFollower } from './features/jobs';
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
    onFinished: async (serverId) => {
      try {
        await syncServer(deps, serverId);
      } catch (error) {
        deps.logger.warn({ err: error, serverId }, 'cannot refresh the instances after a job');
      }
    },
  });
}
