import { RuntimeError } from '../runtime';

export type DockerErrorCode =
  /** The engine's socket does not answer (engine stopped, wrong path, no permission). */
  | 'engine_unreachable'
  /** The image instances run in is not in the engine. */
  | 'image_missing'
  /** Another program listens on the instance's port. */
  | 'port_taken'
  /** A container with the instance's name exists that this agent did not create. */
  | 'container_conflict'
  /** The engine refused to create or start the container. */
  | 'container_failed'
  /** The instance's odoo.conf cannot be read. */
  | 'config_unreadable'
  /** Any other refusal of the engine. */
  | 'engine_error';

/** A {@link RuntimeError} of the docker runtime; `code` says which failure it is. */
export class DockerRuntimeError extends RuntimeError {
  declare readonly code: DockerErrorCode;
  /** The HTTP status the engine answered with, when it answered. */
  readonly engineStatus: number | null;

  constructor(
    code: DockerErrorCode,
    message: string,
    options: { cause?: unknown; engineStatus?: number | null } = {},
  ) {
    super(message, { cause: options.cause, code });
    this.engineStatus = options.engineStatus ?? null;
  }
}

/** Whether `error` is the engine answering `status` (e.g. 404: no such container). */
export function isEngineStatus(error: unknown, status: number): boolean {
  return error instanceof DockerRuntimeError && error.engineStatus === status;
}

/**
 * A field of what dockerode rejects with: a socket error has `code`, an engine answer has
 * `statusCode` and `json` (the engine's body).
 */
function field(error: unknown, key: 'code' | 'statusCode' | 'json' | 'message'): unknown {
  return typeof error === 'object' && error !== null ? Reflect.get(error, key) : undefined;
}

const SOCKET_ERRORS = new Set([
  'ENOENT',
  'ECONNREFUSED',
  'EACCES',
  'EPERM',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTSOCK',
]);

function engineStatus(error: unknown): number | null {
  const status = field(error, 'statusCode');
  return typeof status === 'number' ? status : null;
}

/** The engine's own message (its JSON `message`), else the error's. */
export function engineMessage(error: unknown): string {
  const json = field(error, 'json');
  const fromJson = field(json, 'message');
  if (typeof fromJson === 'string' && fromJson.trim() !== '') return fromJson.trim();
  if (typeof json === 'string' && json.trim() !== '') return json.trim();
  const message = field(error, 'message');
  return typeof message === 'string' ? message : String(error);
}

function socketErrorCode(error: unknown): string | null {
  const code = field(error, 'code');
  return typeof code === 'string' && SOCKET_ERRORS.has(code) ? code : null;
}

/**
 * The error to report for a failed engine call: `engine_unreachable` (naming the socket and
 * what to do) when the socket did not answer, else `engine_error` with the engine's message.
 */
export function fromEngineFailure(socket: string, doing: string, error: unknown): RuntimeError {
  if (error instanceof RuntimeError) return error;
  const code = socketErrorCode(error);
  if (code !== null) {
    const hint =
      code === 'EACCES' || code === 'EPERM'
        ? "the agent's user may not use it: add it to the engine's group (e.g. docker)"
        : 'start the engine (Docker, or podman system service) or set ORDO_AGENT_DOCKER_SOCKET ' +
          'to its socket';
    return new DockerRuntimeError(
      'engine_unreachable',
      `The container engine at ${socket} is not reachable (${code}), so Ordo cannot ${doing}: ${hint}`,
      { cause: error },
    );
  }
  return new DockerRuntimeError(
    'engine_error',
    `The container engine at ${socket} refused to ${doing}: ${engineMessage(error)}`,
    { cause: error, engineStatus: engineStatus(error) },
  );
}
