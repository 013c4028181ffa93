import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { INSTANCE_NAME_PATTERN, type Instance } from '@ordo/protocol';
import type { Logger } from 'pino';
import { INSTANCE_RECORD_FILE, InstanceRecord } from './instance-record';
import type { ResolveStatus } from './resolve-status';

export interface ListInstancesDeps {
  root: string;
  logger: Logger;
  resolveStatus: ResolveStatus;
}

/**
 * Every instance recorded under `<root>/instances`, sorted by name. A directory that is not a
 * valid instance is skipped with a warning: one broken record must not hide the others.
 */
export async function listInstances(deps: ListInstancesDeps): Promise<Instance[]> {
  const dir = join(deps.root, 'instances');
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: unknown) => {
    if (isNotFound(error)) return [];
    throw error;
  });

  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .filter((name) => {
      if (INSTANCE_NAME_PATTERN.test(name)) return true;
      deps.logger.warn({ dir: join(dir, name) }, 'skipping directory: not a valid instance name');
      return false;
    })
    .sort();

  const records = await Promise.all(
    names.map((name) => readRecord(join(dir, name), name, deps.logger)),
  );
  const instances: Instance[] = [];
  for (const record of records) {
    if (record === null) continue;
    const { status, statusReason } = await deps.resolveStatus(record);
    instances.push({
      name: record.name,
      version: record.version,
      edition: record.edition,
      type: record.type,
      parent: record.parent,
      status,
      statusReason,
      database: record.database,
      httpPort: record.httpPort,
      url: record.url,
    });
  }
  return instances;
}

async function readRecord(
  instanceDir: string,
  name: string,
  logger: Logger,
): Promise<InstanceRecord | null> {
  const file = join(instanceDir, INSTANCE_RECORD_FILE);
  const skip = (reason: string) => {
    logger.warn({ file, reason }, 'skipping instance: unusable record');
    return null;
  };

  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    if (isNotFound(error)) return skip('missing');
    return skip(error instanceof Error ? error.message : String(error));
  }

  const parsed = InstanceRecord.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return skip(issue ? `${issue.path.join('.') || 'record'}: ${issue.message}` : 'invalid');
  }
  if (parsed.data.name !== name) {
    return skip(`records the name "${parsed.data.name}" but lives in "${name}"`);
  }
  return parsed.data;
}

function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';
}
