import Dockerode from 'dockerode';

/** The engine the docker tests use: podman's API from scripts/podman/setup.sh by default. */
export const DOCKER_SOCKET = process.env.ORDO_TEST_DOCKER_SOCKET ?? '/run/ordo-podman.sock';
/** Made by scripts/podman/setup.sh (see test/fixtures/docker/README.md). */
export const TEST_IMAGE = 'ordo-odoo-test:bookworm';

export type DockerEngineState = { ok: true } | { ok: false; reason: string };

/** Whether the engine answers at DOCKER_SOCKET and has TEST_IMAGE. */
export async function probeDockerEngine(): Promise<DockerEngineState> {
  const docker = new Dockerode({ socketPath: DOCKER_SOCKET, timeout: 10_000 });
  try {
    await docker.ping();
  } catch (error) {
    return { ok: false, reason: `no engine answers at ${DOCKER_SOCKET} (${describe(error)})` };
  }
  try {
    await docker.getImage(TEST_IMAGE).inspect();
  } catch (error) {
    return { ok: false, reason: `the engine has no image ${TEST_IMAGE} (${describe(error)})` };
  }
  return { ok: true };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
