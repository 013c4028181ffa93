import { access, chmod, constants, mkdir, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createOdooBareRepo } from '../../../test/fixtures/odoo/make-odoo-repo.mjs';

/** A bare repository of the stand-in Odoo with one branch per version, as a file:// URL. */
export async function odooRepoUrl(dir: string, versions: string[] = ['17.0']): Promise<string> {
  // file:// (not a plain path) so that git honours --depth as it does for GitHub.
  return pathToFileURL(await createOdooBareRepo(dir, { versions })).href;
}

/** The real git, found on PATH. */
export async function realGit(): Promise<string> {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'git');
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Next directory.
    }
  }
  throw new Error('git is not on PATH');
}

/**
 * A `bin` directory whose `git` writes its pid to `pidFile`, sleeps, then runs the real git:
 * put it first on PATH to keep an install in its clone step for as long as a test needs.
 */
export async function slowGitBin(dir: string, pidFile: string, seconds = 30): Promise<string> {
  const bin = join(dir, 'slow-bin');
  await mkdir(bin, { recursive: true });
  const script = join(bin, 'git');
  await writeFile(
    script,
    `#!/bin/sh\necho $$ >> '${pidFile}'\nsleep ${seconds}\nexec '${await realGit()}' "$@"\n`,
  );
  await chmod(script, 0o755);
  return bin;
}

/** An executable that answers the agent's version probe like a Python of `version` would. */
export async function fakePython(dir: string, version: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'python3');
  await writeFile(path, `#!/bin/sh\necho ${version}\n`);
  await chmod(path, 0o755);
  return path;
}
