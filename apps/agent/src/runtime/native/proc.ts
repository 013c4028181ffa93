import { readFile, readdir } from 'node:fs/promises';

/** A process as /proc/<pid>/stat describes it (fields after the command name). */
export interface ProcStat {
  pid: number;
  state: string;
  ppid: number;
  pgrp: number;
  /** Start time in clock ticks after boot: with the pid, it names one process for good. */
  startTicks: number;
}

export async function readStat(pid: number): Promise<ProcStat | null> {
  let text: string;
  try {
    text = await readFile(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) may contain spaces and parentheses; later fields do not.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const startTicks = Number(fields[19]);
  const ppid = Number(fields[1]);
  const pgrp = Number(fields[2]);
  if (!Number.isInteger(startTicks) || !Number.isInteger(pgrp)) return null;
  return { pid, state: fields[0] ?? '?', ppid, pgrp, startTicks };
}

/** Whether `pid` runs and is the process that started at `startTicks` (a zombie is dead). */
export async function isSameLiveProcess(pid: number, startTicks: number): Promise<boolean> {
  const stat = await readStat(pid);
  return stat !== null && stat.startTicks === startTicks && stat.state !== 'Z';
}

/** Its arguments; empty when the process is gone or a kernel thread. */
export async function readCmdline(pid: number): Promise<string[]> {
  try {
    const text = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    return text.split('\0').filter((part, index, all) => part !== '' || index < all.length - 1);
  } catch {
    return [];
  }
}

/** Resident memory in bytes, or null when the kernel does not say. */
export async function readRssBytes(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
    return match?.[1] ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Every live process (zombies excluded). */
export async function liveProcesses(): Promise<ProcStat[]> {
  const names = await readdir('/proc').catch(() => []);
  const stats = await Promise.all(
    names.filter((name) => /^\d+$/.test(name)).map((name) => readStat(Number(name))),
  );
  return stats.filter((stat): stat is ProcStat => stat !== null && stat.state !== 'Z');
}

/** Live members of the process group led by `leader`. */
export async function groupMembers(leader: number): Promise<ProcStat[]> {
  return (await liveProcesses()).filter((stat) => stat.pgrp === leader);
}

/** Sends `signal` to a process group; false when the group no longer exists. */
export function signalGroup(leader: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-leader, signal);
    return true;
  } catch {
    return false;
  }
}
