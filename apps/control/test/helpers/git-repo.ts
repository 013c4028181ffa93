import { execFile } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Ordo Test',
  GIT_AUTHOR_EMAIL: 'test@ordo.invalid',
  GIT_COMMITTER_NAME: 'Ordo Test',
  GIT_COMMITTER_EMAIL: 'test@ordo.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
  LC_ALL: 'C',
};

export async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await execFileAsync('git', args, { cwd, env: GIT_ENV });
  return stdout.trim();
}

async function writeIn(root: string, path: string, content: string): Promise<void> {
  await mkdir(dirname(join(root, path)), { recursive: true });
  await writeFile(join(root, path), content);
}

const manifest = (name: string) =>
  `{'name': '${name}', 'version': '17.0.1.0.0', 'depends': ['base'], 'license': 'LGPL-3'}\n`;

/**
 * `<dir>/addons.git`, a bare repository of two Odoo modules (mod_a, mod_b) on `main` and on a
 * branch `other`, and `<dir>/addons-work`, a clone to push commits from: what a Git host holds.
 */
export async function createAddonsRepo(dir: string): Promise<{ bare: string; work: string }> {
  const bare = join(dir, 'addons.git');
  const work = join(dir, 'addons-work');
  await git(dir, ['init', '--quiet', '--bare', '--initial-branch=main', bare]);
  await git(dir, ['init', '--quiet', '--initial-branch=main', work]);
  for (const module of ['mod_a', 'mod_b']) {
    await writeIn(work, `${module}/__manifest__.py`, manifest(module));
    await writeIn(work, `${module}/__init__.py`, '');
    await writeIn(work, `${module}/models/thing.py`, 'THING = 1\n');
  }
  await git(work, ['add', '-A']);
  await git(work, ['commit', '--quiet', '-m', 'Two modules']);
  await git(work, ['remote', 'add', 'origin', bare]);
  await git(work, ['push', '--quiet', 'origin', 'main']);
  await git(work, ['push', '--quiet', 'origin', 'main:other']);
  return { bare, work };
}

/** Commits `content` at `path` on `branch`, pushes it like a developer would; the new commit. */
export async function pushChange(
  work: string,
  branch: string,
  path: string,
  content: string,
): Promise<string> {
  await git(work, ['fetch', '--quiet', 'origin']);
  await git(work, ['checkout', '--quiet', '-B', branch, `origin/${branch}`]);
  await writeIn(work, path, content);
  await git(work, ['add', '-A']);
  await git(work, ['commit', '--quiet', '-m', `Change ${path}`]);
  await git(work, ['push', '--quiet', 'origin', `HEAD:${branch}`]);
  return git(work, ['rev-parse', 'HEAD']);
}

/**
 * A `bin` directory whose `git fetch` sleeps before running the real one: first on the agent's
 * PATH, it keeps every pull in flight long enough for a burst of pushes to arrive meanwhile.
 */
export async function slowFetchGitBin(dir: string, seconds: number): Promise<string> {
  const bin = join(dir, 'slow-fetch-bin');
  await mkdir(bin, { recursive: true });
  const realPath = (process.env.PATH ?? '')
    .split(':')
    .filter((entry) => entry !== bin)
    .join(':');
  const script = join(bin, 'git');
  await writeFile(
    script,
    `#!/bin/sh\nfor arg in "$@"; do if [ "$arg" = fetch ]; then sleep ${seconds}; break; fi; done\nPATH='${realPath}' exec git "$@"\n`,
  );
  await chmod(script, 0o755);
  return bin;
}
