import type { RuntimeInstance } from '../runtime';
import { readPidFile, writePidFile } from './pidfile';
import { isSameLiveProcess, liveProcesses, readCmdline } from './proc';

export interface LiveOdoo {
  pid: number;
  startTicks: number;
}

/** The main process its pidfile names, if that very process still runs with this conf. */
export async function liveFromPidFile(instance: RuntimeInstance): Promise<LiveOdoo | null> {
  const recorded = await readPidFile(instance.dir);
  if (recorded === null || recorded.conf !== instance.confPath) return null;
  return (await isSameLiveProcess(recorded.pid, recorded.startTicks)) ? recorded : null;
}

/**
 * The instance's main Odoo process: the one in its pidfile, else a process-group leader whose
 * command line has `-c <its odoo.conf>` (an agent that died between starting Odoo and writing
 * the pidfile leaves such a process). The pidfile is rewritten when found by the scan.
 */
export async function findLiveOdoo(instance: RuntimeInstance): Promise<LiveOdoo | null> {
  const fromPidFile = await liveFromPidFile(instance);
  if (fromPidFile !== null) return fromPidFile;
  for (const stat of await liveProcesses()) {
    if (stat.pgrp !== stat.pid) continue;
    if (!usesConf(await readCmdline(stat.pid), instance.confPath)) continue;
    const found = { pid: stat.pid, startTicks: stat.startTicks };
    // Best effort: the directory may be half removed by a cleanup.
    await writePidFile(instance.dir, { ...found, conf: instance.confPath }).catch(() => {});
    return found;
  }
  return null;
}

export function usesConf(args: readonly string[], conf: string): boolean {
  return args.some(
    (arg, index) =>
      ((arg === '-c' || arg === '--config') && args[index + 1] === conf) ||
      arg === `--config=${conf}`,
  );
}

/**
 * What a process of an Odoo instance does: from the title Odoo's prefork server gives its
 * workers, else `worker` for a fork of the server (same command line) and `helper` for a program
 * it runs (pg_dump, wkhtmltopdf …).
 */
export function processRole(args: readonly string[], conf: string): string {
  const text = args.join(' ');
  if (/WorkerHTTP/.test(text)) return 'http-worker';
  if (/WorkerCron/.test(text)) return 'cron-worker';
  if (args.includes('gevent') || /gevent/.test(args[0] ?? '')) return 'gevent';
  return usesConf(args, conf) ? 'worker' : 'helper';
}
