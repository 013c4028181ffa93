import { dirname, join } from 'node:path';
import type { ContainerCreateOptions, MountSettings } from 'dockerode';
import type { RuntimeInstance } from '../runtime';
import type { ConfFacts } from './conf-facts';
import { containerLabels, containerName } from './container-labels';

export interface ContainerSpecInput {
  instance: RuntimeInstance;
  /** The agent's data root, recorded in a label so that only this agent adopts it. */
  root: string;
  image: string;
  facts: ConfFacts;
  /** `uid:gid` Odoo runs as: the agent's, so that files in the mounts stay the agent's. */
  user: string;
  /**
   * Prefix of the Python the version's virtualenv was built with, when it is not the system's
   * (`/usr`), e.g. a pyenv build: mounted so that the virtualenv's interpreter link resolves.
   */
  interpreterPrefix: string | null;
}

/**
 * The container of an instance. Everything Odoo reads or writes is bind-mounted at the path
 * it has on the host, so that odoo.conf, the virtualenv and the job code use one set of paths:
 * the version (checkout + virtualenv) read-only, the instance directory (addons, repos, data
 * dir, log file) read-write with odoo.conf read-only over it, and addons paths an admin added.
 * Host networking: Odoo binds its http_interface/http_port itself, as with the native runtime,
 * and reaches PostgreSQL at the address odoo.conf names.
 */
export function containerSpec(input: ContainerSpecInput): ContainerCreateOptions {
  const { instance, facts } = input;
  return {
    name: containerName(instance.name),
    Image: input.image,
    // An entrypoint of the image (e.g. a shell wrapper) must not come between Odoo and signals.
    Entrypoint: [join(instance.versionDir, 'venv', 'bin', 'python')],
    Cmd: [join(instance.versionDir, 'odoo', 'odoo-bin'), '-c', instance.confPath],
    User: input.user,
    WorkingDir: instance.dir,
    Env: ['LANG=C.UTF-8', 'PYTHONUNBUFFERED=1', `HOME=${instance.dir}`],
    Labels: containerLabels(input.root, instance),
    StopSignal: 'SIGTERM',
    HostConfig: {
      NetworkMode: 'host',
      Mounts: mounts(input),
      RestartPolicy: { Name: 'unless-stopped' },
      // Odoo needs no capability: it binds unprivileged ports and owns what it writes.
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      Memory: memoryLimitBytes(facts),
      // No swap beyond the limit: an Odoo worker over its limit is killed, not slowed down.
      MemorySwap: memoryLimitBytes(facts),
    },
  };
}

/**
 * Odoo's limit_memory_hard holds per process; the container holds all of them: the main
 * process, and in prefork mode its HTTP workers, cron workers and the gevent process.
 */
export function memoryLimitBytes(facts: ConfFacts): number {
  const processes = facts.workers === 0 ? 1 : 1 + facts.workers + facts.maxCronThreads + 1;
  return facts.limitMemoryHard * processes;
}

function mounts(input: ContainerSpecInput): MountSettings[] {
  const { instance, facts } = input;
  const wanted = new Map<string, boolean>();
  const add = (path: string, readOnly: boolean) => {
    if (!wanted.has(path)) wanted.set(path, readOnly);
  };
  add(instance.dir, false);
  add(instance.confPath, true);
  add(instance.versionDir, true);
  const covered = (path: string) =>
    [instance.dir, instance.versionDir].some((dir) => path === dir || path.startsWith(`${dir}/`));
  for (const path of facts.addonsPaths) if (!covered(path)) add(path, true);
  if (facts.dataDir !== null && !covered(facts.dataDir)) add(facts.dataDir, false);
  if (facts.logfile !== null && !covered(facts.logfile)) add(dirname(facts.logfile), false);
  if (input.interpreterPrefix !== null) add(input.interpreterPrefix, true);
  // Parents before what is mounted inside them (odoo.conf over the instance directory).
  return [...wanted]
    .sort(([a], [b]) => depth(a) - depth(b) || a.localeCompare(b))
    .map(([path, readOnly]) => ({ Type: 'bind', Source: path, Target: path, ReadOnly: readOnly }));
}

function depth(path: string): number {
  return path.split('/').length;
}
