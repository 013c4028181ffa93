import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../system/write-file-atomic';

/**
 * What a running restore has created and how far it got, `<root>/restores/<instance>.json`:
 * after a crash, the next agent process reads it to put the instance back as it was.
 */
export const RestoreJournal = z.object({
  jobId: z.string(),
  instance: z.string(),
  database: z.string(),
  tempDatabase: z.string(),
  oldDatabase: z.string(),
  filestore: z.string(),
  tempFilestore: z.string(),
  oldFilestore: z.string(),
  stage: z.enum(['loading', 'swapping']),
});
export type RestoreJournal = z.infer<typeof RestoreJournal>;

function journalPath(root: string, instance: string): string {
  return join(root, 'restores', `${instance}.json`);
}

export async function writeJournal(root: string, journal: RestoreJournal): Promise<void> {
  await mkdir(join(root, 'restores'), { recursive: true, mode: 0o750 });
  await writeFileAtomic(journalPath(root, journal.instance), JSON.stringify(journal));
}

export async function readJournal(root: string, instance: string): Promise<RestoreJournal | null> {
  try {
    const text = await readFile(journalPath(root, instance), 'utf8');
    return RestoreJournal.parse(JSON.parse(text));
  } catch {
    return null;
  }
}

export async function removeJournal(root: string, instance: string): Promise<void> {
  await rm(journalPath(root, instance), { force: true });
}
