import { defineProject } from 'vitest/config';

// Cross-app end-to-end tests: real agent and control processes built from dist/, real Chromium.
export default defineProject({
  test: {
    name: 'e2e',
    include: ['e2e/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
