import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Bytes of regular files under `dir` (not following links); 0 when it does not exist. */
export async function directorySize(dir: string): Promise<number> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => null);
  if (entries === null) return 0;
  let total = 0;
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await directorySize(path);
    else if (entry.isFile()) total += (await lstat(path).catch(() => null))?.size ?? 0;
  }
  return total;
}

/**
 * Walking a large filestore on every sample would cost more than the rest of the sample, and
 * attachments grow slowly: the size is recomputed at most once per `maxAgeMs`.
 */
export function cachedDirectorySize(maxAgeMs: number, now: () => number = Date.now) {
  const cache = new Map<string, { at: number; bytes: number }>();
  return async (dir: string): Promise<number> => {
    const hit = cache.get(dir);
    if (hit !== undefined && now() - hit.at < maxAgeMs) return hit.bytes;
    const bytes = await directorySize(dir);
    cache.set(dir, { at: now(), bytes });
    return bytes;
  };
}
