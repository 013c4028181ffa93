import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * The prefix of the Python a virtualenv was made with (`home` in its pyvenv.cfg names its
 * `bin`), when it is not the system's: a pyenv or /opt build the container must see at the
 * same path. A system Python (under /usr) is the image's to provide. Null when unknown.
 */
export async function interpreterPrefix(venvDir: string): Promise<string | null> {
  let text: string;
  try {
    text = await readFile(join(venvDir, 'pyvenv.cfg'), 'utf8');
  } catch {
    return null;
  }
  const home = /^\s*home\s*=\s*(.+?)\s*$/m.exec(text)?.[1];
  if (home === undefined || !home.startsWith('/')) return null;
  if (home === '/usr/bin' || home === '/bin' || home.startsWith('/usr/')) return null;
  const prefix = dirname(home);
  return prefix === '/' ? null : prefix;
}
