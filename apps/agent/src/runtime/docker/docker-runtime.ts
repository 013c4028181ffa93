import { access, constants } from 'node:fs/promises';
import { join } from 'node:path';
import type { InstanceLogs } from '@ordo/protocol';
import type { Logger } from 'pino';
import { canBind } from '../../instances/allocate-ports';
import { readOdooLog } from '../../odoo/log-reader';
import { KeyedMutex } from '../keyed-mutex';
import { odooCommand } from '../native/spawn-odoo';
import {
  RuntimeError,
  type DesiredState,
  type InstanceRuntime,
  type RuntimeInstance,
  type RuntimeLogQuery,
  type RuntimeProcess,
  type RuntimeStatus,
} from '../runtime';
import { readConfFacts, type ConfFacts } from './conf-facts';
import { isOurs, labelFilter, containerName } from './container-labels';
import { containerLogLines } from './container-log-lines';
import { containerProcesses, topArguments } from './container-processes';
import { containerSpec } from './container-spec';
import { containerHealth, statusFromHealth } from './container-status';
import { DockerEngine } from './docker-engine';
import { DockerRuntimeError, isEngineStatus } from './docker-error';
import type { ContainerSummary } from './engine-schemas';
import { interpreterPrefix } from './interpreter-prefix';

export interface DockerRuntimeOptions {
  logger: Logger;
  /** The agent's data root: labels tie containers to it. */
  root: string;
  /** The Engine API's unix socket (ORDO_AGENT_DOCKER_SOCKET). */
  socket: string;
  /** The image instances run in (ORDO_AGENT_DOCKER_IMAGE); null refuses every start. */
  image: string | null;
  /** Seconds Odoo gets to stop after SIGTERM before the engine kills it. */
  stopTimeoutSeconds?: number;
  now?: () => number;
}

/** How many lines of a failing container's output go into its status reason. */
const OUTPUT_LINES = 5;

/**
 * Runs each instance in its own container (`ordo-<name>`, labelled with the instance and the
 * agent's root) through the Engine API of Docker or podman. The engine keeps it running
 * (restart policy `unless-stopped`), also while the agent is down; the agent finds it again by
 * its labels and never touches a container without them. A stop removes the container: the
 * next start creates it afresh from the odoo.conf of that moment (ports, memory limit).
 */
export class DockerRuntime implements InstanceRuntime {
  readonly kind = 'docker';
  private readonly engine: DockerEngine;
  private readonly locks = new KeyedMutex();
  private readonly now: () => number;

  constructor(private readonly options: DockerRuntimeOptions) {
    this.engine = new DockerEngine(options.socket);
    this.now = options.now ?? Date.now;
  }

  start(instance: RuntimeInstance): Promise<RuntimeStatus> {
    return this.locks.run(instance.name, () => this.ensureRunning(instance));
  }

  stop(instance: RuntimeInstance): Promise<void> {
    return this.locks.run(instance.name, async () => {
      for (const container of await this.containersOf(instance)) {
        this.options.logger.info(
          { instance: instance.name, container: container.Id.slice(0, 12) },
          'stopping the container of odoo',
        );
        await this.engine.stop(container.Id, this.options.stopTimeoutSeconds ?? 10);
        await this.engine.remove(container.Id);
      }
    });
  }

  async status(instance: RuntimeInstance): Promise<RuntimeStatus> {
    try {
      const container = (await this.containersOf(instance))[0];
      if (container === undefined) return { state: 'stopped' };
      const inspected = await this.engine.inspect(container.Id);
      if (inspected === null) return { state: 'stopped' };
      const health = containerHealth(inspected, this.now());
      const lines =
        health.kind === 'running' ? [] : await this.outputTail(container.Id, OUTPUT_LINES);
      return statusFromHealth(health, lines);
    } catch (error) {
      // Listing instances must work while the engine is down: it shows as their error.
      if (error instanceof RuntimeError) return { state: 'error', reason: error.message };
      throw error;
    }
  }

  /**
   * The Odoo log file (Odoo writes it into the mounted instance directory), or, while Odoo has
   * not written any, what the container printed (a Python that fails before Odoo's logging).
   */
  async logs(instance: RuntimeInstance, query: RuntimeLogQuery): Promise<InstanceLogs> {
    const fromFile = await readOdooLog(instance.logfile, query);
    if (fromFile.lines.length > 0 || query.cursor !== undefined) return fromFile;
    try {
      const container = (await this.containersOf(instance))[0];
      if (container === undefined) return fromFile;
      const output = await this.engine.logTail(container.Id, query.limit);
      return { lines: containerLogLines(output, query), cursor: fromFile.cursor };
    } catch (error) {
      if (error instanceof RuntimeError) return fromFile;
      throw error;
    }
  }

  async processes(instance: RuntimeInstance): Promise<RuntimeProcess[]> {
    try {
      const container = (await this.containersOf(instance)).find((found) => isRunning(found));
      if (container === undefined) return [];
      const inspected = await this.engine.inspect(container.Id);
      if (inspected === null || !inspected.State.Running) return [];
      const top = await this.engine.top(container.Id, topArguments(await this.engine.kind()));
      return containerProcesses(top, inspected.State.Pid, instance.confPath);
    } catch (error) {
      if (error instanceof RuntimeError) return [];
      throw error;
    }
  }

  /** Memory the instance's container uses and may use (Engine stats); null when not running. */
  async memory(
    instance: RuntimeInstance,
  ): Promise<{ usageBytes: number | null; limitBytes: number | null } | null> {
    const container = (await this.containersOf(instance)).find((found) => isRunning(found));
    return container === undefined ? null : this.engine.memory(container.Id);
  }

  reconcile(instance: RuntimeInstance, desired: DesiredState): Promise<void> {
    return this.locks.run(instance.name, async () => {
      const containers = await this.containersOf(instance);
      const running = containers.find((container) => isRunning(container));
      if (running !== undefined) {
        this.options.logger.info(
          { instance: instance.name, container: running.Id.slice(0, 12) },
          'adopted the running container of odoo',
        );
        return;
      }
      if (desired === 'running') {
        await this.ensureRunning(instance);
        return;
      }
      // A container left behind by a stop the previous agent did not finish.
      for (const container of containers) await this.engine.remove(container.Id);
    });
  }

  /** The engine keeps the containers running; there is nothing to hand over. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  /** The engine answers (and, before a start, has the image): else a clear error, at once. */
  async preflight(intent: { start: boolean }): Promise<void> {
    await this.engine.ping();
    if (intent.start) await this.requireImage();
  }

  /** Call with the instance's lock held. */
  private async ensureRunning(instance: RuntimeInstance): Promise<RuntimeStatus> {
    const existing = await this.containersOf(instance);
    const running = existing.find((container) => isRunning(container));
    if (running !== undefined) {
      const inspected = await this.engine.inspect(running.Id);
      if (inspected?.State.Running) return { state: 'running', pid: inspected.State.Pid };
    }
    // One that exited is replaced: the new one is built from today's odoo.conf.
    for (const container of existing) await this.engine.remove(container.Id);

    const image = await this.requireImage();
    await requireOdoo(instance);
    const facts = await readConfFacts(instance);
    await requirePortsFree(instance, facts);
    const spec = containerSpec({
      instance,
      root: this.options.root,
      image,
      facts,
      user: `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`,
      interpreterPrefix: await interpreterPrefix(join(instance.versionDir, 'venv')),
    });
    const id = await this.createContainer(instance, spec);
    try {
      await this.engine.start(id);
    } catch (error) {
      await this.engine.remove(id).catch(() => {});
      const why = error instanceof Error ? error.message : String(error);
      throw new DockerRuntimeError('container_failed', `Cannot start ${instance.name}: ${why}`, {
        cause: error,
      });
    }
    this.options.logger.info(
      { instance: instance.name, container: id.slice(0, 12), image },
      'started the container of odoo',
    );
    const inspected = await this.engine.inspect(id);
    return inspected?.State.Running
      ? { state: 'running', pid: inspected.State.Pid }
      : { state: 'starting' };
  }

  /** Creates it, unless a container the agent did not make holds its name. */
  private async createContainer(
    instance: RuntimeInstance,
    spec: Parameters<DockerEngine['create']>[0],
  ): Promise<string> {
    // Our own containers of the instance were removed before: one found by name is not ours.
    if ((await this.engine.inspect(containerName(instance.name))) !== null) {
      throw this.nameTaken(instance);
    }
    try {
      return await this.engine.create(spec);
    } catch (error) {
      // Created by someone else meanwhile (Docker answers 409; podman 500 with this text).
      if (isEngineStatus(error, 409) || /already in use/.test(engineMessageOf(error))) {
        throw this.nameTaken(instance, error);
      }
      throw error;
    }
  }

  private nameTaken(instance: RuntimeInstance, cause?: unknown): DockerRuntimeError {
    const name = containerName(instance.name);
    return new DockerRuntimeError(
      'container_conflict',
      `A container named ${name} exists that this agent did not create (it lacks the labels ` +
        `ordo.managed=true, ordo.instance=${instance.name}, ordo.agent-root=${this.options.root}); ` +
        'Ordo leaves it alone: remove or rename it, then start the instance again',
      { cause },
    );
  }

  private async requireImage(): Promise<string> {
    const { image } = this.options;
    if (image === null) {
      throw new DockerRuntimeError(
        'image_missing',
        'No image is set for the docker runtime: set ORDO_AGENT_DOCKER_IMAGE to an image with ' +
          "Python and Odoo's system libraries (see the README)",
      );
    }
    if (!(await this.engine.imageExists(image))) {
      throw new DockerRuntimeError(
        'image_missing',
        `The image ${image} is not in the container engine at ${this.engine.socket}: pull it ` +
          `(docker pull ${image}) or build it there, or set ORDO_AGENT_DOCKER_IMAGE to an image ` +
          'the engine has',
      );
    }
    return image;
  }

  /**
   * The instance's containers under this agent's root, running ones first. A container with
   * the instance's name but not our labels is not among them: it is never touched.
   */
  private async containersOf(instance: RuntimeInstance): Promise<ContainerSummary[]> {
    const found = await this.engine.listContainers(labelFilter(this.options.root, instance.name));
    return found
      .filter((container) => isOurs(container.Labels, this.options.root, instance.name))
      .sort((a, b) => Number(isRunning(b)) - Number(isRunning(a)));
  }

  private async outputTail(id: string, lines: number): Promise<string[]> {
    return this.engine.logTail(id, lines).catch(() => []);
  }
}

function engineMessageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isRunning(container: ContainerSummary): boolean {
  return container.State === 'running' || container.State === 'restarting';
}

/** The version's Python and odoo-bin, as the native runtime checks them. */
async function requireOdoo(instance: RuntimeInstance): Promise<void> {
  const { python, odooBin } = odooCommand(instance);
  for (const path of [python, odooBin]) {
    try {
      await access(path, constants.F_OK);
    } catch {
      throw new RuntimeError(
        `Cannot start ${instance.name}: ${path} is missing; reinstall Odoo ${instance.version}`,
      );
    }
  }
}

/**
 * Odoo in a container with host networking binds its ports itself; one another program holds
 * would let the health check reach that program, so it is refused before the start.
 */
async function requirePortsFree(instance: RuntimeInstance, facts: ConfFacts): Promise<void> {
  const host = facts.httpInterface === '' ? '0.0.0.0' : facts.httpInterface;
  const ports = facts.workers > 0 ? [facts.httpPort, facts.geventPort] : [facts.httpPort];
  for (const port of ports) {
    if (await canBind(port, host)) continue;
    throw new DockerRuntimeError(
      'port_taken',
      `Port ${port} on ${host} is in use by another program, so Odoo of ${instance.name} cannot ` +
        'listen on it: stop that program (or change its port), then start the instance again',
    );
  }
}
