import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Edition, ODOO_VERSION_PATTERN } from '@ordo/protocol';
import { z } from 'zod';
import { isNotFound } from '../system/write-file-atomic';
import { VERSION_RECORD_FILE } from './version-paths';

/**
 * `<root>/versions/<ver>/version.json`, written last by an install: a version counts as
 * installed only when this record exists. Read back through the schema because disks and humans
 * edit files.
 */
export const VersionRecord = z.object({
  version: z.string().regex(ODOO_VERSION_PATTERN),
  edition: Edition,
  /** e.g. "3.11.7". */
  python: z.string().min(1),
  /** The interpreter the virtualenv was made from. */
  pythonPath: z.string().min(1),
  /** Commit of the checkout, when git could tell. */
  commit: z.string().nullable(),
  /** The repository it was cloned from, without credentials. */
  source: z.string(),
  installedAt: z.iso.datetime({ offset: true }),
  jobId: z.string().nullable(),
  /** Set by the Enterprise upgrade, which also turns `edition` to enterprise. */
  enterprise: z
    .object({
      commit: z.string().nullable(),
      /** The Enterprise repository, without credentials. */
      source: z.string(),
      addedAt: z.iso.datetime({ offset: true }),
      jobId: z.string().nullable(),
    })
    .optional(),
});
export type VersionRecord = z.infer<typeof VersionRecord>;

export type ReadVersionResult =
  | { kind: 'installed'; record: VersionRecord }
  | { kind: 'absent' }
  | { kind: 'invalid'; reason: string };

/** Reads the record in `dir`; a missing record means "not installed". */
export async function readVersionRecord(dir: string): Promise<ReadVersionResult> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(join(dir, VERSION_RECORD_FILE), 'utf8'));
  } catch (error) {
    if (isNotFound(error)) return { kind: 'absent' };
    return { kind: 'invalid', reason: error instanceof Error ? error.message : String(error) };
  }
  const parsed = VersionRecord.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      kind: 'invalid',
      reason: issue ? `${issue.path.join('.') || 'record'}: ${issue.message}` : 'invalid',
    };
  }
  return { kind: 'installed', record: parsed.data };
}
