import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ODOO_VERSION_PATTERN, type InstalledVersion } from '@ordo/protocol';
import type { Logger } from 'pino';
import { INSTANCE_RECORD_FILE, InstanceRecord } from '../instances/instance-record';
import { isNotFound } from '../system/write-file-atomic';
import { versionDir, versionsDir } from './version-paths';
import { readVersionRecord } from './version-record';

export interface ListVersionsDeps {
  root: string;
  logger: Logger;
}

/** Installed versions, oldest first, each with the number of instances using it. */
export async function listInstalledVersions(deps: ListVersionsDeps): Promise<InstalledVersion[]> {
  const names = (await readdirOrEmpty(versionsDir(deps.root)))
    .filter((name) => ODOO_VERSION_PATTERN.test(name))
    .sort((a, b) => parseFloat(a) - parseFloat(b));
  const usage = await countInstancesByVersion(deps.root);

  const versions: InstalledVersion[] = [];
  for (const name of names) {
    const dir = versionDir(deps.root, name);
    const result = await readVersionRecord(dir);
    if (result.kind === 'absent') continue;
    if (result.kind === 'invalid' || result.record.version !== name) {
      const reason =
        result.kind === 'invalid' ? result.reason : `records version ${result.record.version}`;
      deps.logger.warn({ dir, reason }, 'skipping version: unusable record');
      continue;
    }
    const { record } = result;
    versions.push({
      version: record.version,
      edition: record.edition,
      python: record.python,
      path: dir,
      instances: usage.get(record.version) ?? 0,
    });
  }
  return versions;
}

/** Instances per version, from their records; unreadable records count for nothing. */
async function countInstancesByVersion(root: string): Promise<Map<string, number>> {
  const dir = join(root, 'instances');
  const counts = new Map<string, number>();
  for (const name of await readdirOrEmpty(dir)) {
    let json: unknown;
    try {
      json = JSON.parse(await readFile(join(dir, name, INSTANCE_RECORD_FILE), 'utf8'));
    } catch {
      continue;
    }
    const parsed = InstanceRecord.safeParse(json);
    if (parsed.success) {
      counts.set(parsed.data.version, (counts.get(parsed.data.version) ?? 0) + 1);
    }
  }
  return counts;
}

async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
}
