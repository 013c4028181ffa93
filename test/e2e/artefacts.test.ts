import { describe, expect, it } from 'vitest';
import { ARTEFACTS, builtArtefact, REPO_ROOT } from '../support/repo-paths';
import { createTempDir } from '../support/temp-dir';

describe('builtArtefact', () => {
  it.each(Object.keys(ARTEFACTS) as (keyof typeof ARTEFACTS)[])(
    'tells to build first when the %s build is missing',
    async (name) => {
      const emptyRepo = await createTempDir('ordo-e2e-no-build');
      try {
        expect(() => builtArtefact(name, emptyRepo.path)).toThrow(
          `${ARTEFACTS[name]} is missing: run pnpm build first`,
        );
      } finally {
        await emptyRepo.remove();
      }
    },
  );

  it('finds the artefacts of this checkout once built', () => {
    expect(builtArtefact('agent')).toBe(`${REPO_ROOT}${ARTEFACTS.agent}`);
  });
});
