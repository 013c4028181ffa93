import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findPython } from '../src/versions/find-python';
import { pythonRangeFor, type PythonRange } from '../src/versions/python-range';
import { useTempDir } from './helpers';
import { fakePython } from './odoo-support';

async function writeTree(dir: string, files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
}

/** A pyenv root with fake interpreters, and a PATH dir with a python3 and a link to it. */
async function machine() {
  const dir = await useTempDir();
  const pyenv = join(dir, 'pyenv');
  for (const version of ['3.9.18', '3.11.4', '3.12.9', '3.13.1']) {
    await fakePython(join(pyenv, 'versions', version, 'bin'), version);
  }
  await mkdir(join(pyenv, 'versions', '2.7.18', 'bin'), { recursive: true });
  const bin = join(dir, 'bin');
  const system = await fakePython(bin, '3.10.2');
  await symlink(system, join(bin, 'python3.10'));
  const env = { PYENV_ROOT: pyenv, PATH: `${bin}:${join(dir, 'missing')}`, HOME: dir };
  return { dir, pyenv, bin, env };
}

const signal = new AbortController().signal;

describe('Python for a version', () => {
  it.each([
    [
      '16.0',
      { 'odoo/__init__.py': 'import sys\nassert sys.version_info > (3, 7), "old"\n' },
      { min: [3, 7], max: [3, 10] },
    ],
    [
      '17.0',
      { 'odoo/__init__.py': 'MIN_PY_VERSION = (3, 10)\nMAX_PY_VERSION = (3, 12)\n' },
      { min: [3, 10], max: [3, 12] },
    ],
    [
      '19.0',
      {
        'odoo/__init__.py': 'from .release import MIN_PY_VERSION\n',
        'odoo/release.py': 'MIN_PY_VERSION = (3, 10)\nMAX_PY_VERSION = (3, 13)\n',
      },
      { min: [3, 10], max: [3, 13] },
    ],
    ['18.0', {}, { min: [3, 10], max: [3, 12] }],
  ])(
    'reads the range of %s from the checkout, else from the known table',
    async (version, files, range) => {
      const dir = await useTempDir();
      await writeTree(dir, files);
      expect(await pythonRangeFor(version, dir)).toEqual(range);
    },
  );

  it('picks the newest fitting Python among pyenv and PATH', async () => {
    const { env, pyenv, bin } = await machine();
    const pick = (range: PythonRange) =>
      findPython({ odooVersion: 'x', range, configured: null, env, signal });
    expect(await pick({ min: [3, 10], max: [3, 12] })).toMatchObject({
      version: '3.12.9',
      path: join(pyenv, 'versions', '3.12.9', 'bin', 'python3'),
    });
    expect(await pick({ min: [3, 10], max: [3, 13] })).toMatchObject({ version: '3.13.1' });
    expect(await pick({ min: [3, 10], max: [3, 10] })).toMatchObject({
      version: '3.10.2',
      path: join(bin, 'python3'),
    });
  });

  it('lists every Python it found when none fits', async () => {
    const { env, pyenv, bin } = await machine();
    const error = await findPython({
      odooVersion: '14.0',
      range: { min: [3, 6], max: [3, 8] },
      configured: null,
      env,
      signal,
    }).catch((e: unknown) => e);
    const inPyenv = (version: string) =>
      `${version} (${join(pyenv, 'versions', version, 'bin', 'python3')})`;
    const found = [
      inPyenv('3.13.1'),
      inPyenv('3.12.9'),
      inPyenv('3.11.4'),
      `3.10.2 (${join(bin, 'python3')})`,
      inPyenv('3.9.18'),
    ].join(', ');
    expect(error).toMatchObject({
      code: 'no_python',
      message:
        `No Python fits Odoo 14.0 (needs 3.6–3.8); found: ${found}. ` +
        'Set ORDO_PYTHON or install a fitting Python with pyenv.',
    });
  });

  it('uses only ORDO_PYTHON when it is set, and says so when it is not a Python', async () => {
    const { env, dir } = await machine();
    const configured = await fakePython(join(dir, 'chosen'), '3.11.9');
    expect(
      await findPython({
        odooVersion: '17.0',
        range: { min: [3, 10], max: [3, 12] },
        configured,
        env,
        signal,
      }),
    ).toMatchObject({ version: '3.11.9', path: configured });

    const broken = join(dir, 'broken');
    await writeFile(broken, '#!/bin/sh\nexit 3\n');
    await chmod(broken, 0o755);
    await expect(
      findPython({
        odooVersion: '17.0',
        range: { min: [3, 10], max: [3, 12] },
        configured: broken,
        env,
        signal,
      }),
    ).rejects.toMatchObject({
      code: 'no_python',
      message: `ORDO_PYTHON is ${broken}, which does not run as a Python interpreter`,
    });
  });
});
