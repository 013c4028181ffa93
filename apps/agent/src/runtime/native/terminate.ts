import type { LiveOdoo } from './find-odoo';
import { groupMembers, isSameLiveProcess, signalGroup } from './proc';

const POLL_MS = 100;
const KILL_WAIT_MS = 5000;

/**
 * Stops a process group: SIGTERM, up to `graceMs` for the leader to exit, then SIGKILL; and
 * whatever is left of the group (workers, the gevent process) is killed too. Resolves once
 * nothing of the group runs. A leader that is already gone only gets its leftovers killed.
 */
export async function terminateGroup(leader: LiveOdoo, graceMs: number): Promise<void> {
  const alive = () => isSameLiveProcess(leader.pid, leader.startTicks);
  if (await alive()) {
    signalGroup(leader.pid, 'SIGTERM');
    if (!(await waitUntil(async () => !(await alive()), graceMs))) {
      signalGroup(leader.pid, 'SIGKILL');
      await waitUntil(async () => !(await alive()), KILL_WAIT_MS);
    }
  }
  // A group id can only be reused once the group is empty, so its members are Odoo's.
  if ((await groupMembers(leader.pid)).length > 0) {
    signalGroup(leader.pid, 'SIGKILL');
    await waitUntil(async () => (await groupMembers(leader.pid)).length === 0, KILL_WAIT_MS);
  }
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
