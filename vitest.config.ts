import { defineConfig } from 'vitest/config';

// One Vitest run over every package; each project keeps its own config next to its code.
export default defineConfig({
  test: {
    projects: [
      'packages/protocol',
      'apps/agent',
      'apps/control',
      'apps/ui',
      'test',
      'test/fixtures',
    ],
  },
});
