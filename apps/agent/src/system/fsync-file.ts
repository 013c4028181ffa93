import { open } from 'node:fs/promises';

/** Flushes a written file to disk (fsync applies to the file, whichever descriptor asks). */
export async function fsyncFile(path: string): Promise<void> {
  const file = await open(path, 'r');
  try {
    await file.sync();
  } finally {
    await file.close();
  }
}
