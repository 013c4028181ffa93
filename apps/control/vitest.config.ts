import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'control',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Migrates a template database once; every test file clones its own from it.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
