import { defineProject } from 'vitest/config';

// Unit tests of the panel's pure logic; components are covered by the browser e2e in test/e2e.
export default defineProject({
  test: { name: 'ui', environment: 'node', include: ['src/**/*.test.ts'] },
});
