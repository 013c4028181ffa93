export { cancelJob } from './cancel';
export type { JobDeps, Requester } from './deps';
export { JOB_LOST } from './follow-job';
export { startJobFollower, type JobFollower, type JobFollowerOptions } from './job-follower';
export { createJobHub, type JobHub } from './job-hub';
export { toJobView } from './job-view';
export { getJob, listActiveJobs, listJobs } from './list';
export { importJobs, recordJob } from './record-job';
export { streamJobLog } from './stream-log';
