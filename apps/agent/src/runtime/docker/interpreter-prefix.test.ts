import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { interpreterPrefix } from './interpreter-prefix';

let dir = '';
afterEach(() => rm(dir, { recursive: true, force: true }));

async function venv(cfg: string | null): Promise<string> {
  dir = await mkdtemp(join(tmpdir(), 'ordo-venv-'));
  if (cfg !== null) await writeFile(join(dir, 'pyvenv.cfg'), cfg);
  return dir;
}

describe('interpreterPrefix', () => {
  it('is the prefix of a Python outside /usr, which the container must see', async () => {
    const path = await venv('home = /root/.pyenv/versions/3.10.13/bin\nversion = 3.10.13\n');
    expect(await interpreterPrefix(path)).toBe('/root/.pyenv/versions/3.10.13');
  });

  it("is null for the system's Python (the image's to provide) or an unreadable venv", async () => {
    expect(await interpreterPrefix(await venv('home = /usr/bin\n'))).toBeNull();
    expect(await interpreterPrefix(await venv('home = /usr/local/bin\n'))).toBeNull();
    expect(await interpreterPrefix(await venv(null))).toBeNull();
  });
});
