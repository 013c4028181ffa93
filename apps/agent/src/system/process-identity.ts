import { readFile } from 'node:fs/promises';

/**
 * A process as it can be recognised later: a pid alone may have been reused by the time the
 * agent looks again, the pid together with its start time (in clock ticks since boot) cannot.
 */
export interface ProcessIdentity {
  pid: number;
  startTicks: number;
}

/** The identity of a live process, or null when it is gone (or /proc is unavailable). */
export async function processIdentity(pid: number): Promise<ProcessIdentity | null> {
  let stat: string;
  try {
    stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) may contain spaces and parentheses; fields after it do not.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const startTicks = Number(fields[19]);
  return Number.isInteger(startTicks) ? { pid, startTicks } : null;
}

/**
 * Kills the process group led by `identity` if that very process still runs. Used for children
 * of a previous agent process, which spawned each child as the leader of its own group.
 */
export async function killProcessGroupIfAlive(identity: ProcessIdentity): Promise<boolean> {
  const current = await processIdentity(identity.pid);
  if (current === null || current.startTicks !== identity.startTicks) return false;
  try {
    process.kill(-identity.pid, 'SIGKILL');
    return true;
  } catch {
    return false;
  }
}
