import Dockerode from 'dockerode';
import type { ContainerCreateOptions } from 'dockerode';
import type { z } from 'zod';
import { DockerRuntimeError, fromEngineFailure, isEngineStatus } from './docker-error';
import { demuxLogs } from './container-log-lines';
import {
  ContainerInspect,
  ContainerStats,
  ContainerSummary,
  ContainerTop,
  EngineVersion,
} from './engine-schemas';

export type EngineKind = 'docker' | 'podman';

/** Longest silence of the engine on one call; a stop waits up to its own timeout first. */
const REQUEST_TIMEOUT_MS = 120_000;
const REMOVE_ATTEMPTS = 8;

/**
 * The Engine API calls the docker runtime makes, each turning a failure into a
 * {@link DockerRuntimeError} that names the socket and what was being done.
 */
export class DockerEngine {
  private readonly docker: Dockerode;
  private kindFound: EngineKind | null = null;

  constructor(readonly socket: string) {
    this.docker = new Dockerode({ socketPath: socket, timeout: REQUEST_TIMEOUT_MS });
  }

  /** Podman's Docker-compatible API differs in a few places (`top`); said by `/version`. */
  async kind(): Promise<EngineKind> {
    if (this.kindFound !== null) return this.kindFound;
    const version = await this.call('read its version', async (docker) =>
      EngineVersion.parse(await docker.version()),
    );
    const podman = (version.Components ?? []).some((part) => /podman/i.test(part.Name));
    this.kindFound = podman ? 'podman' : 'docker';
    return this.kindFound;
  }

  async imageExists(image: string): Promise<boolean> {
    try {
      await this.call(`look up the image ${image}`, (docker) => docker.getImage(image).inspect());
      return true;
    } catch (error) {
      if (isEngineStatus(error, 404)) return false;
      throw error;
    }
  }

  /** Containers (running or not) whose labels match `filters.label`. */
  listContainers(filters: { label: string[] }): Promise<ContainerSummary[]> {
    return this.call('list containers', async (docker) =>
      parse(ContainerSummary.array(), await docker.listContainers({ all: true, filters })),
    );
  }

  /** The container by id or name; null when there is none. */
  async inspect(idOrName: string): Promise<ContainerInspect | null> {
    try {
      return await this.call(`inspect the container ${idOrName}`, async (docker) =>
        parse(ContainerInspect, await docker.getContainer(idOrName).inspect()),
      );
    } catch (error) {
      if (isEngineStatus(error, 404)) return null;
      throw error;
    }
  }

  /** Creates the container; a name already taken is reported by the caller (409). */
  async create(spec: ContainerCreateOptions): Promise<string> {
    const container = await this.call(`create the container ${spec.name ?? ''}`, (docker) =>
      docker.createContainer(spec),
    );
    return container.id;
  }

  start(id: string): Promise<void> {
    return this.call(`start the container ${id.slice(0, 12)}`, async (docker) => {
      await docker.getContainer(id).start();
    });
  }

  /** Stops it (SIGTERM, SIGKILL after `timeoutSeconds`); one already stopped or gone is fine. */
  async stop(id: string, timeoutSeconds: number): Promise<void> {
    try {
      await this.call(`stop the container ${id.slice(0, 12)}`, async (docker) => {
        await docker.getContainer(id).stop({ t: timeoutSeconds });
      });
    } catch (error) {
      if (isEngineStatus(error, 304) || isEngineStatus(error, 404)) return;
      throw error;
    }
  }

  /**
   * Removes it, killing it if it runs. The engine may be restarting a container that keeps
   * exiting at that very moment (podman then refuses: "container state improper"): retried.
   */
  async remove(id: string): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.call(`remove the container ${id.slice(0, 12)}`, async (docker) => {
          await docker.getContainer(id).remove({ force: true });
        });
        return;
      } catch (error) {
        if (isEngineStatus(error, 404)) return;
        const busy = isEngineStatus(error, 500) || isEngineStatus(error, 409);
        if (!busy || attempt >= REMOVE_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    }
  }

  top(id: string, psArgs: string): Promise<ContainerTop> {
    return this.call(`list the processes of the container ${id.slice(0, 12)}`, async (docker) =>
      parse(ContainerTop, await docker.getContainer(id).top({ ps_args: psArgs })),
    );
  }

  /** The last `lines` lines the container wrote to stdout and stderr. */
  async logTail(id: string, lines: number): Promise<string[]> {
    // podman 4's `tail` reorders the pieces of lines written in parts (a Python traceback), so
    // from podman the whole output is read; Odoo writes its log to its file, so it is short.
    const tail = (await this.kind()) === 'podman' ? undefined : lines;
    return this.call(`read the output of the container ${id.slice(0, 12)}`, async (docker) => {
      const raw = await docker.getContainer(id).logs({
        stdout: true,
        stderr: true,
        follow: false,
        ...(tail === undefined ? {} : { tail }),
      });
      return demuxLogs(raw).slice(-lines);
    });
  }

  /** Memory the container uses and may use, in bytes (Engine stats). */
  memory(id: string): Promise<{ usageBytes: number | null; limitBytes: number | null }> {
    return this.call(`read the stats of the container ${id.slice(0, 12)}`, async (docker) => {
      const stats = parse(
        ContainerStats,
        await docker.getContainer(id).stats({ stream: false }),
      ).memory_stats;
      return { usageBytes: stats.usage ?? null, limitBytes: stats.limit ?? null };
    });
  }

  async ping(): Promise<void> {
    await this.call('check that it runs', (docker) => docker.ping());
  }

  private async call<T>(doing: string, work: (docker: Dockerode) => Promise<T>): Promise<T> {
    try {
      return await work(this.docker);
    } catch (error) {
      throw fromEngineFailure(this.socket, doing, error);
    }
  }
}

function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new DockerRuntimeError(
      'engine_error',
      `The container engine answered in an unexpected form: ${result.error.issues[0]?.message ?? ''}`,
    );
  }
  return result.data;
}
