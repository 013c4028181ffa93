import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'agent',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Starts the Docker-API engine (podman) for the docker runtime's tests if it is down.
    globalSetup: ['test/docker-global-setup.ts'],
  },
});
