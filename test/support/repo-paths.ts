import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** What the end-to-end tests run: the build output, exactly as operators start it. */
export const ARTEFACTS = {
  agent: 'apps/agent/dist/main.js',
  control: 'apps/control/dist/main.js',
  panel: 'apps/ui/dist/index.html',
} as const;

/** Absolute path of a build artefact, or an error telling how to produce it. */
export function builtArtefact(name: keyof typeof ARTEFACTS, root: string = REPO_ROOT): string {
  const path = join(root, ARTEFACTS[name]);
  if (!existsSync(path)) {
    throw new Error(`${ARTEFACTS[name]} is missing: run pnpm build first`);
  }
  return path;
}
