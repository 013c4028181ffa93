import { resolve } from 'node:path';
import Dockerode from 'dockerode';
import { inject } from 'vitest';
import { DOCKER_SOCKET, TEST_IMAGE } from './docker-engine-probe';

export { DOCKER_SOCKET, TEST_IMAGE };

const docker = new Dockerode({ socketPath: DOCKER_SOCKET });

/**
 * Whether the engine-dependent tests of `what` can run. When the engine could not be started
 * (docker-global-setup.ts tried), they are skipped and say so loudly: CI must have an engine.
 */
export function dockerEngineAvailable(what: string): boolean {
  const state = inject('dockerEngine');
  if (state.ok) return true;
  console.warn(
    `\n!!! SKIPPING ${what}: the Docker-API engine is not available: ${state.reason}.\n` +
      '!!! Run scripts/podman/setup.sh as root (CI does) to install and start podman.\n',
  );
  return false;
}

export interface TestContainer {
  id: string;
  name: string;
  state: string;
  labels: Record<string, string>;
}

/** Every container the agent with data root `root` made, running or not. */
export async function containersUnder(root: string): Promise<TestContainer[]> {
  const found = await docker.listContainers({
    all: true,
    filters: { label: [`ordo.agent-root=${root}`] },
  });
  return found.map((container) => ({
    id: container.Id,
    name: (container.Names[0] ?? '').replace(/^\//, ''),
    state: container.State,
    labels: container.Labels,
  }));
}

/** Removes what a test left behind (afterAll): the agent's containers under `root`. */
export async function removeContainersUnder(root: string): Promise<void> {
  for (const container of await containersUnder(root)) {
    await docker.getContainer(container.id).remove({ force: true });
  }
}

/** A container the agent did not make, for tests that it is left alone. */
export async function startForeignContainer(name: string): Promise<string> {
  const container = await docker.createContainer({
    name,
    Image: TEST_IMAGE,
    Entrypoint: ['sleep'],
    Cmd: ['600'],
    Labels: { 'ordo.test': 'foreign' },
    HostConfig: { NetworkMode: 'none' },
  });
  await container.start();
  return container.id;
}

export async function inspectContainer(idOrName: string) {
  return docker.getContainer(idOrName).inspect();
}

export async function removeContainer(idOrName: string): Promise<void> {
  await docker
    .getContainer(idOrName)
    .remove({ force: true })
    .catch(() => {});
}

const BROKEN_CONTEXT = resolve(import.meta.dirname, '../../../test/fixtures/docker/broken-python');
export const BROKEN_IMAGE = 'ordo-odoo-test:broken-python';

/**
 * Builds test/fixtures/docker/broken-python through the Engine API (buildImage) on the test
 * image: a Python that dies at once, for "container exits at start".
 */
export async function buildBrokenImage(): Promise<string> {
  const stream = await docker.buildImage(
    { context: BROKEN_CONTEXT, src: ['Dockerfile'] },
    { t: BROKEN_IMAGE, buildargs: { BASE: TEST_IMAGE } },
  );
  await new Promise<void>((done, fail) => {
    docker.modem.followProgress(stream, (error: Error | null, output: unknown[]) => {
      if (error) return fail(error);
      const failed = output.find(
        (event) => typeof event === 'object' && event !== null && 'error' in event,
      );
      if (failed !== undefined) return fail(new Error(JSON.stringify(failed)));
      done();
    });
  });
  return BROKEN_IMAGE;
}
