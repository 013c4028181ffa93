import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Ordo Test',
  GIT_AUTHOR_EMAIL: 'test@ordo.invalid',
  GIT_COMMITTER_NAME: 'Ordo Test',
  GIT_COMMITTER_EMAIL: 'test@ordo.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
  LC_ALL: 'C',
};

async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await run('git', args, { cwd, env: GIT_ENV });
  return stdout.trim();
}

async function writeIn(root: string, path: string, content: string): Promise<void> {
  await mkdir(dirname(join(root, path)), { recursive: true });
  await writeFile(join(root, path), content);
}

export interface AddonsRepo {
  /** The bare repository, as a Git host holds it. */
  bare: string;
  head(): Promise<string>;
  /** Commits a change to `path` on main and pushes it; the new commit. */
  push(path: string, content: string): Promise<string>;
}

/** A bare repository with one Odoo module (`mod_a`) on `main`, and a clone to push from. */
export async function createAddonsRepo(dir: string): Promise<AddonsRepo> {
  const bare = join(dir, 'addons.git');
  const work = join(dir, 'addons-work');
  await git(dir, ['init', '--quiet', '--bare', '--initial-branch=main', bare]);
  await git(dir, ['init', '--quiet', '--initial-branch=main', work]);
  await writeIn(
    work,
    'mod_a/__manifest__.py',
    "{'name': 'mod_a', 'version': '17.0.1.0.0', 'depends': ['base'], 'license': 'LGPL-3'}\n",
  );
  await writeIn(work, 'mod_a/__init__.py', '');
  await git(work, ['add', '-A']);
  await git(work, ['commit', '--quiet', '-m', 'mod_a']);
  await git(work, ['remote', 'add', 'origin', bare]);
  await git(work, ['push', '--quiet', 'origin', 'main']);
  return {
    bare,
    head: () => git(bare, ['rev-parse', 'refs/heads/main']),
    async push(path, content) {
      await writeIn(work, path, content);
      await git(work, ['add', '-A']);
      await git(work, ['commit', '--quiet', '-m', `Change ${path}`]);
      await git(work, ['push', '--quiet', 'origin', 'main']);
      return git(work, ['rev-parse', 'HEAD']);
    },
  };
}
