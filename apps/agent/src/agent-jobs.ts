import type { Logger } from 'pino';
import { JobRunner } from './jobs/job-runner';
import { registerVersionJobs } from './versions/version-jobs';

/** The agent's job runner with every kind's crash cleanup registered. */
export function createAgentJobRunner(deps: { root: string; logger: Logger; now?: () => Date }) {
  const runner = new JobRunner(deps);
  registerVersionJobs(runner, deps.root);
  return runner;
}
