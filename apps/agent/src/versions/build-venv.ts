import { access, lstat, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Environment } from '../config';
import { JobFailure } from '../jobs/job-failure';
import type { JobContext } from '../jobs/job-runner';
import { childEnvironment } from '../system/child-environment';

export interface BuildVenvInput {
  context: JobContext;
  /** The interpreter to build from. */
  python: string;
  venvDir: string;
  requirementsFile: string;
  env: Environment;
  /** Receives progress of this step, 0..1. */
  onProgress: (fraction: number) => void;
}

/** `python -m venv`, then Odoo's requirements into it with pip. */
export async function buildVenv(input: BuildVenvInput): Promise<void> {
  const { context } = input;
  const env = childEnvironment(input.env, { PIP_NO_INPUT: '1', PYTHONUNBUFFERED: '1' });

  context.log(`Creating the virtualenv with ${input.python}`);
  const venv = await context.run(input.python, ['-m', 'venv', input.venvDir], { env });
  if (venv.code !== 0) {
    const detail = venv.stderrTail.slice(-3).join(' ') || `exit ${venv.code ?? venv.signal}`;
    const hint = /ensurepip|venv/.test(detail)
      ? ' On Debian or Ubuntu, install the python3-venv package for this Python.'
      : '';
    throw new JobFailure(
      'venv_failed',
      `Creating the virtualenv with ${input.python} failed: ${detail}.${hint}`,
    );
  }
  input.onProgress(0.2);

  try {
    await access(input.requirementsFile);
  } catch {
    throw new JobFailure('not_odoo', `The checkout has no requirements.txt: it is not Odoo`);
  }
  context.log('Installing the Python requirements');
  let steps = 0;
  // `python -m pip` rather than bin/pip: a script's shebang breaks on long paths.
  const pip = await context.run(
    join(input.venvDir, 'bin', 'python'),
    [
      '-m',
      'pip',
      'install',
      '--no-input',
      '--disable-pip-version-check',
      '-r',
      input.requirementsFile,
    ],
    {
      env,
      onLine: (line) => {
        // pip cannot tell how much is left; each package moves the bar a bit less.
        if (/^(Collecting|Installing|Building|Successfully)/.test(line)) {
          steps += 1;
          input.onProgress(0.2 + 0.8 * (1 - 0.9 ** steps));
        }
      },
    },
  );
  if (pip.code !== 0) {
    const detail = pip.stderrTail.slice(-3).join(' ') || `exit ${pip.code ?? pip.signal}`;
    throw new JobFailure('pip_failed', `pip could not install the requirements: ${detail}`);
  }
  input.onProgress(1);
}

/**
 * A virtualenv hard-codes its own path (script shebangs, activate, pyvenv.cfg). It is built in
 * the partial directory and then renamed, so the path is rewritten to where it will live.
 */
export async function relocateVenv(from: string, to: string): Promise<void> {
  const files = [
    join(from, 'pyvenv.cfg'),
    ...(await readdir(join(from, 'bin'))).map((name) => join(from, 'bin', name)),
  ];
  const needle = Buffer.from(from, 'utf8');
  for (const file of files) {
    const info = await lstat(file);
    if (!info.isFile() || info.size > 1024 * 1024) continue;
    const data = await readFile(file);
    if (!data.includes(needle)) continue;
    await writeFile(file, data.toString('utf8').split(from).join(to), { mode: info.mode });
  }
}
