import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';
import { DOCKER_SOCKET, probeDockerEngine, type DockerEngineState } from './docker-engine-probe';

const run = promisify(execFile);
const SETUP_SCRIPT = resolve(import.meta.dirname, '../../../scripts/podman/setup.sh');

declare module 'vitest' {
  export interface ProvidedContext {
    /** Whether the docker runtime's tests have an engine with the test image. */
    dockerEngine: DockerEngineState;
  }
}

/**
 * Once per run: makes sure the Docker-API engine answers and has the test image, starting
 * podman's API service (scripts/podman/setup.sh --no-install) when it does not.
 */
export default async function setup(project: TestProject): Promise<void> {
  let state = await probeDockerEngine();
  if (!state.ok) {
    const before = state.reason;
    try {
      await run('bash', [SETUP_SCRIPT, '--no-install'], {
        env: { ...process.env, ORDO_PODMAN_SOCKET: DOCKER_SOCKET },
        timeout: 300_000,
      });
      state = await probeDockerEngine();
    } catch (error) {
      const stderr =
        typeof error === 'object' && error !== null && 'stderr' in error
          ? String(error.stderr).trim()
          : String(error);
      state = { ok: false, reason: `${before}; scripts/podman/setup.sh failed: ${stderr}` };
    }
  }
  project.provide('dockerEngine', state);
}
