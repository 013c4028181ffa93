import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { INSTANCE_NAME_PATTERN } from '@ordo/protocol';
import type { Logger } from 'pino';
import { isNotFound, writeFileAtomic } from '../system/write-file-atomic';
import { instanceDir, instancesDir } from './instance-paths';
import { INSTANCE_RECORD_FILE, InstanceRecord } from './instance-record';

export type ReadRecordResult =
  | { kind: 'found'; record: InstanceRecord }
  | { kind: 'absent' }
  | { kind: 'invalid'; reason: string };

/** The record of `name`; `absent` when there is none, `invalid` when it cannot be used. */
export async function readInstanceRecord(root: string, name: string): Promise<ReadRecordResult> {
  const file = join(instanceDir(root, name), INSTANCE_RECORD_FILE);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    if (isNotFound(error)) return { kind: 'absent' };
    return { kind: 'invalid', reason: error instanceof Error ? error.message : String(error) };
  }
  const parsed = InstanceRecord.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      kind: 'invalid',
      reason: issue ? `${issue.path.join('.') || 'record'}: ${issue.message}` : 'invalid',
    };
  }
  if (parsed.data.name !== name) {
    return {
      kind: 'invalid',
      reason: `records the name "${parsed.data.name}" but lives in "${name}"`,
    };
  }
  return { kind: 'found', record: parsed.data };
}

export async function writeInstanceRecord(root: string, record: InstanceRecord): Promise<void> {
  await writeFileAtomic(
    join(instanceDir(root, record.name), INSTANCE_RECORD_FILE),
    `${JSON.stringify(InstanceRecord.parse(record), null, 2)}\n`,
  );
}

/** Names of the directories under `<root>/instances` (valid names only), sorted. */
export async function instanceDirNames(root: string, logger?: Logger): Promise<string[]> {
  const dir = instancesDir(root);
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: unknown) => {
    if (isNotFound(error)) return [];
    throw error;
  });
  return entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .filter((name) => {
      if (INSTANCE_NAME_PATTERN.test(name)) return true;
      logger?.warn({ dir: join(dir, name) }, 'skipping directory: not a valid instance name');
      return false;
    })
    .sort();
}

/** Every usable record, sorted by name; unusable ones are skipped with a warning. */
export async function readAllInstanceRecords(
  root: string,
  logger: Logger,
): Promise<InstanceRecord[]> {
  const names = await instanceDirNames(root, logger);
  const results = await Promise.all(names.map((name) => readInstanceRecord(root, name)));
  const records: InstanceRecord[] = [];
  results.forEach((result, index) => {
    if (result.kind === 'found') {
      records.push(result.record);
      return;
    }
    const file = join(instanceDir(root, names[index] ?? ''), INSTANCE_RECORD_FILE);
    const reason = result.kind === 'absent' ? 'missing' : result.reason;
    logger.warn({ file, reason }, 'skipping instance: unusable record');
  });
  return records;
}
