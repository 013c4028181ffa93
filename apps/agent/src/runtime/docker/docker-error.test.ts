import { describe, expect, it } from 'vitest';
import { RuntimeError } from '../runtime';
import { DockerRuntimeError, fromEngineFailure, isEngineStatus } from './docker-error';

describe('fromEngineFailure', () => {
  it('names the socket and what to do when the engine does not answer', () => {
    const error = fromEngineFailure(
      '/run/missing.sock',
      'list containers',
      Object.assign(new Error('connect ENOENT'), { code: 'ENOENT' }),
    );
    expect(error).toBeInstanceOf(DockerRuntimeError);
    expect(error).toBeInstanceOf(RuntimeError);
    expect(error).toMatchObject({
      code: 'engine_unreachable',
      message:
        'The container engine at /run/missing.sock is not reachable (ENOENT), so Ordo cannot list ' +
        'containers: start the engine (Docker, or podman system service) or set ' +
        'ORDO_AGENT_DOCKER_SOCKET to its socket',
    });
  });

  it('tells a permission problem apart', () => {
    const error = fromEngineFailure('/var/run/docker.sock', 'list containers', { code: 'EACCES' });
    expect(error.message).toContain("the agent's user may not use it");
  });

  it("passes on the engine's own message and status", () => {
    const answer = Object.assign(new Error('(HTTP code 409) unexpected'), {
      statusCode: 409,
      json: { message: 'the container name "ordo-shop" is already in use' },
    });
    const error = fromEngineFailure('/s.sock', 'create the container ordo-shop', answer);
    expect(error).toMatchObject({
      code: 'engine_error',
      message:
        'The container engine at /s.sock refused to create the container ordo-shop: ' +
        'the container name "ordo-shop" is already in use',
    });
    expect(isEngineStatus(error, 409)).toBe(true);
    expect(isEngineStatus(error, 404)).toBe(false);
  });
});
