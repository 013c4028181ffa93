import { processRole } from '../native/find-odoo';
import type { RuntimeProcess } from '../runtime';
import type { EngineKind } from './docker-engine';
import type { ContainerTop } from './engine-schemas';

/**
 * `ps_args` for `GET /containers/{id}/top`: podman takes its own descriptors (and reads /proc
 * itself: the image needs no `ps`), Docker runs the host's `ps` with them. Both give the host
 * pid (podman as HPID), the resident set size in KiB and the command line.
 */
export function topArguments(kind: EngineKind): string {
  return kind === 'podman' ? 'pid,hpid,rss,args' : '-o pid,rss,args';
}

/**
 * The processes of an instance's container, its main process (`mainPid`, a host pid) first.
 * Pids are host pids, as the native runtime reports them.
 */
export function containerProcesses(
  top: ContainerTop,
  mainPid: number,
  confPath: string,
): RuntimeProcess[] {
  const column = (...names: string[]) =>
    top.Titles.findIndex((title) => names.includes(title.trim().toUpperCase()));
  const hostPidColumn = column('HPID');
  const pidColumn = hostPidColumn === -1 ? column('PID') : hostPidColumn;
  const rssColumn = column('RSS');
  const argsColumn = column('COMMAND', 'CMD', 'ARGS');
  if (pidColumn === -1) return [];
  const processes = (top.Processes ?? []).flatMap((row) => {
    const pid = Number(row[pidColumn]);
    if (!Number.isInteger(pid) || pid <= 0) return [];
    const rssKiB = rssColumn === -1 ? NaN : Number(row[rssColumn]);
    const args = (argsColumn === -1 ? '' : (row[argsColumn] ?? '')).split(/\s+/);
    return [
      {
        pid,
        role: pid === mainPid ? 'main' : processRole(args, confPath),
        rssBytes: Number.isFinite(rssKiB) ? rssKiB * 1024 : null,
      },
    ];
  });
  return processes.sort((a, b) => (a.pid === mainPid ? -1 : b.pid === mainPid ? 1 : a.pid - b.pid));
}
