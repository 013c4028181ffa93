/**
 * Jobs the control plane runs itself (migrations) that run in this process, by id: cancelling
 * one aborts its signal, and shutting down aborts them all and waits for their rollback.
 */
interface RunningControlJob {
  controller: AbortController;
  done: Promise<void>;
}

const running = new Map<string, RunningControlJob>();

/** Runs `work` as the control job `id`, with a signal that cancel or shutdown aborts. */
export function runControlJob(id: string, work: (signal: AbortSignal) => Promise<void>): void {
  const controller = new AbortController();
  const done = work(controller.signal).finally(() => running.delete(id));
  running.set(id, { controller, done });
}

/** Aborts the job if it runs in this process; false when it does not. */
export function abortControlJob(id: string, reason: string): boolean {
  const job = running.get(id);
  if (job === undefined) return false;
  job.controller.abort(new Error(reason));
  return true;
}

/** Aborts every control job of this process and waits for them to end (rollbacks included). */
export async function stopControlJobs(reason: string): Promise<void> {
  const jobs = [...running.values()];
  for (const job of jobs) job.controller.abort(new Error(reason));
  await Promise.allSettled(jobs.map((job) => job.done));
}
