import type { RuntimeKind } from '@ordo/protocol';
import type { Logger } from 'pino';
import type { Environment } from '../config';
import { DockerRuntime } from './docker/docker-runtime';
import type { CrashPolicy } from './native/crash-policy';
import { NativeRuntime } from './native/native-runtime';
import type { InstanceRuntime } from './runtime';

export interface DockerSettings {
  /** The agent's data root (ORDO_AGENT_ROOT): containers are labelled with it. */
  root: string;
  /** ORDO_AGENT_DOCKER_SOCKET. */
  socket: string;
  /** ORDO_AGENT_DOCKER_IMAGE. */
  image: string | null;
}

export interface CreateRuntimeOptions {
  logger: Logger;
  env: Environment;
  /** Tests shorten the restart backoff. */
  crashPolicy?: CrashPolicy;
  /** Required by the docker runtime. */
  docker?: DockerSettings;
}

/** The runtime ORDO_AGENT_RUNTIME names; the one place that knows the implementations. */
export function createRuntime(kind: RuntimeKind, options: CreateRuntimeOptions): InstanceRuntime {
  switch (kind) {
    case 'native':
      return new NativeRuntime({
        logger: options.logger,
        env: options.env,
        ...(options.crashPolicy === undefined ? {} : { crashPolicy: options.crashPolicy }),
      });
    case 'docker':
      if (options.docker === undefined) {
        throw new Error('The docker runtime needs its settings (root, socket, image)');
      }
      // The engine is not asked now: an agent whose engine is down still starts, and every
      // instance action then says that the engine is unreachable.
      return new DockerRuntime({ logger: options.logger, ...options.docker });
  }
}
