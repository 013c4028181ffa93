import { readFile, statfs } from 'node:fs/promises';
import { cpus, loadavg, totalmem, uptime } from 'node:os';
import type { ServerMetrics } from '@ordo/protocol';

/** Cumulative CPU jiffies from /proc/stat; CPU % is the busy share between two readings. */
export interface CpuTimes {
  busy: number;
  total: number;
}

export function parseCpuTimes(procStat: string): CpuTimes | null {
  const line = procStat.split('\n').find((row) => row.startsWith('cpu '));
  if (line === undefined) return null;
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest is already counted in user).
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] =
    fields;
  const idleAll = idle + iowait;
  const total = user + nice + system + idleAll + irq + softirq + steal;
  return { busy: total - idleAll, total };
}

export function cpuPercent(previous: CpuTimes | null, current: CpuTimes | null): number {
  if (previous === null || current === null) return 0;
  const total = current.total - previous.total;
  if (total <= 0) return 0;
  const percent = ((current.busy - previous.busy) / total) * 100;
  return Math.min(100, Math.max(0, Math.round(percent * 10) / 10));
}

/** MemAvailable counts reclaimable cache, so "used" is what applications really hold. */
export function parseMemory(meminfo: string): { used: number; total: number } | null {
  const field = (name: string) => {
    const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(meminfo);
    return match?.[1] === undefined ? null : Number(match[1]) * 1024;
  };
  const total = field('MemTotal');
  const available = field('MemAvailable');
  if (total === null || available === null) return null;
  return { used: Math.max(0, total - available), total };
}

export function parseNetwork(netDev: string): { rx: number; tx: number } {
  let rx = 0;
  let tx = 0;
  for (const line of netDev.split('\n').slice(2)) {
    const [name, data] = line.split(':');
    if (data === undefined || name === undefined || name.trim() === 'lo') continue;
    const fields = data.trim().split(/\s+/).map(Number);
    rx += fields[0] ?? 0;
    tx += fields[8] ?? 0;
  }
  return { rx, tx };
}

const readOptional = (path: string) => readFile(path, 'utf8').catch(() => '');

/** Host figures; keeps the last CPU reading between calls for the delta. */
export function createSystemSampler(dataRoot: string) {
  let previousCpu: CpuTimes | null = null;
  return async function sampleSystem(): Promise<ServerMetrics> {
    const [procStat, meminfo, netDev, disk] = await Promise.all([
      readOptional('/proc/stat'),
      readOptional('/proc/meminfo'),
      readOptional('/proc/net/dev'),
      statfs(dataRoot).catch(() => null),
    ]);
    const cpu = parseCpuTimes(procStat);
    const percent = cpuPercent(previousCpu, cpu);
    previousCpu = cpu;
    const memory = parseMemory(meminfo) ?? { used: 0, total: totalmem() };
    const network = parseNetwork(netDev);
    const [l1 = 0, l5 = 0, l15 = 0] = loadavg();
    const diskTotal = disk === null ? 0 : disk.blocks * disk.bsize;
    const diskFree = disk === null ? 0 : disk.bfree * disk.bsize;
    return {
      cpuPercent: percent,
      cores: Math.max(1, cpus().length),
      memoryUsedBytes: memory.used,
      memoryTotalBytes: memory.total,
      diskUsedBytes: Math.max(0, diskTotal - diskFree),
      diskTotalBytes: diskTotal,
      load: [l1, l5, l15],
      uptimeSeconds: Math.round(uptime()),
      networkRxBytes: network.rx,
      networkTxBytes: network.tx,
    };
  };
}
