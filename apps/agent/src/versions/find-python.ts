import { execFile } from 'node:child_process';
import { access, constants, readdir, realpath } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import type { Environment } from '../config';
import { childEnvironment } from '../system/child-environment';
import { JobFailure } from '../jobs/job-failure';
import { formatSeries, inRange, type PythonRange } from './python-range';

const run = promisify(execFile);

export interface FoundPython {
  path: string;
  /** e.g. "3.11.7" */
  version: string;
  parts: readonly [number, number, number];
}

export interface FindPythonInput {
  odooVersion: string;
  range: PythonRange;
  /** ORDO_PYTHON: when set, the only candidate. */
  configured: string | null;
  env: Environment;
  signal: AbortSignal;
}

const PROBE = 'import sys; print("%d.%d.%d" % sys.version_info[:3])';
const MINORS = [6, 7, 8, 9, 10, 11, 12, 13, 14];

/**
 * Picks the Python to build the virtualenv with: ORDO_PYTHON if set, else the newest fitting
 * one among pyenv's and those on PATH. Throws a {@link JobFailure} listing what was found.
 */
export async function findPython(input: FindPythonInput): Promise<FoundPython> {
  const candidates = input.configured ? [input.configured] : await candidatePaths(input.env);
  const probed = await Promise.all(candidates.map((path) => probe(path, input)));
  const found = probed.filter((python): python is FoundPython => python !== null);

  const fitting = found
    .filter((python) => inRange([python.parts[0], python.parts[1]], input.range))
    .sort((a, b) => compareParts(b.parts, a.parts));
  const best = fitting[0];
  if (best) return best;
  if (input.configured && found.length === 0) {
    throw new JobFailure(
      'no_python',
      `ORDO_PYTHON is ${input.configured}, which does not run as a Python interpreter`,
    );
  }

  const needs = `${formatSeries(input.range.min)}–${formatSeries(input.range.max)}`;
  const list =
    found.length === 0
      ? 'none'
      : [...found]
          .sort((a, b) => compareParts(b.parts, a.parts))
          .map((python) => `${python.version} (${python.path})`)
          .join(', ');
  throw new JobFailure(
    'no_python',
    `No Python fits Odoo ${input.odooVersion} (needs ${needs}); found: ${list}. ` +
      'Set ORDO_PYTHON or install a fitting Python with pyenv.',
  );
}

/** pyenv's interpreters, then python3 / python3.X on PATH, each real file once. */
async function candidatePaths(env: Environment): Promise<string[]> {
  const pyenvRoot = env.PYENV_ROOT ?? join(env.HOME ?? homedir(), '.pyenv');
  const pyenvVersions = join(pyenvRoot, 'versions');
  const fromPyenv = (await readdir(pyenvVersions).catch(() => []))
    .sort()
    .map((name) => join(pyenvVersions, name, 'bin', 'python3'));
  // pyenv's shims only lead back to the interpreters listed above, slowly.
  const dirs = (env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => dir !== '' && !dir.endsWith('/shims'));
  const names = ['python3', ...MINORS.map((minor) => `python3.${minor}`)];
  const fromPath = dirs.flatMap((dir) => names.map((name) => join(dir, name)));

  const seen = new Set<string>();
  const paths: string[] = [];
  for (const path of [...fromPyenv, ...fromPath]) {
    const real = await executableRealPath(path);
    if (real === null || seen.has(real)) continue;
    seen.add(real);
    paths.push(path);
  }
  return paths;
}

async function executableRealPath(path: string): Promise<string | null> {
  try {
    await access(path, constants.X_OK);
    return await realpath(path);
  } catch {
    return null;
  }
}

async function probe(path: string, input: FindPythonInput): Promise<FoundPython | null> {
  try {
    const { stdout } = await run(path, ['-c', PROBE], {
      env: childEnvironment(input.env),
      timeout: 15_000,
      signal: input.signal,
    });
    const match = /^(\d+)\.(\d+)\.(\d+)/.exec(stdout.trim());
    if (!match) return null;
    const parts = [Number(match[1]), Number(match[2]), Number(match[3])] as const;
    return { path, version: parts.join('.'), parts };
  } catch {
    return null;
  }
}

function compareParts(
  a: readonly [number, number, number],
  b: readonly [number, number, number],
): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}
