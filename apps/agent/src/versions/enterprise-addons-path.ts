import { chmod, readFile } from 'node:fs/promises';
import { formatIni, parseIni, type IniDocument } from '../odoo/conf-file';
import { OPTIONS_SECTION } from '../odoo/odoo-conf';
import type { JobContext } from '../jobs/job-runner';
import { startAndWait } from '../instances/instance-actions';
import type { InstanceDeps } from '../instances/instance-deps';
import { instancePaths, runtimeInstance } from '../instances/instance-paths';
import type { InstanceRecord } from '../instances/instance-record';
import {
  readAllInstanceRecords,
  readInstanceRecord,
  writeInstanceRecord,
} from '../instances/instance-store';
import { reason } from '../postgres/pg-target';
import { isNotFound, writeFileAtomic } from '../system/write-file-atomic';

/**
 * odoo.conf with `path` first in addons_path: Odoo takes a module from the first directory that
 * has it, and Enterprise modules must win over Community ones of the same name.
 */
export function withAddonsPathFirst(document: IniDocument, path: string): IniDocument {
  const options = new Map(document.get(OPTIONS_SECTION) ?? []);
  const others = (options.get('addons_path') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '' && entry !== path);
  options.set('addons_path', [path, ...others].join(','));
  const result = new Map(document);
  result.set(OPTIONS_SECTION, options);
  return result;
}

/**
 * Puts the Enterprise checkout first in the addons_path of every instance of `version`, records
 * them as Enterprise instances and restarts those that run, each under its instance lock.
 * Answers the instances that did not come back, with the reason; the others are done whatever
 * happens to those.
 */
export async function addEnterpriseToInstances(
  deps: InstanceDeps,
  version: string,
  enterprisePath: string,
  context: JobContext,
): Promise<string[]> {
  const records = (await readAllInstanceRecords(deps.root, deps.logger)).filter(
    (record) => record.version === version,
  );
  if (records.length === 0) context.log(`No instance uses Odoo ${version} yet`);
  const failures: string[] = [];
  for (const { name } of records) {
    await deps.locks.run(name, async () => {
      const found = await readInstanceRecord(deps.root, name);
      if (found.kind !== 'found') return;
      const conf = instancePaths(deps.root, name).conf;
      let text: string;
      try {
        text = await readFile(conf, 'utf8');
      } catch (error) {
        // Still being created: its odoo.conf, written later, takes the Enterprise path itself.
        if (isNotFound(error)) return;
        throw error;
      }
      const before = parseIni(text);
      const after = withAddonsPathFirst(before, enterprisePath);
      const changed =
        after.get(OPTIONS_SECTION)?.get('addons_path') !==
        before.get(OPTIONS_SECTION)?.get('addons_path');
      if (changed) {
        await writeFileAtomic(conf, formatIni(after));
        await chmod(conf, 0o640);
        context.log(`${name}: Enterprise modules added first to its addons_path`);
      } else {
        context.log(`${name}: the Enterprise modules are already in its addons_path`);
      }
      // With the modules first in its addons_path it runs Enterprise: the panel must say so.
      const record: InstanceRecord = { ...found.record, edition: 'enterprise' };
      if (found.record.edition !== 'enterprise') {
        await writeInstanceRecord(deps.root, record);
        context.log(`${name}: now an Enterprise instance`);
      }
      if (!changed) return;

      const instance = runtimeInstance(deps.root, record);
      const runs = (await deps.runtime.status(instance)).state !== 'stopped';
      if (!runs || record.phase !== 'ready') return;
      context.log(`${name}: restarting so that Odoo reads the new addons_path`);
      try {
        await deps.runtime.stop(instance);
        await startAndWait(deps, record);
        context.log(`${name}: running again`);
      } catch (error) {
        const why = reason(error);
        context.log(`${name}: did not restart: ${why}`);
        failures.push(`${name} (${why})`);
      }
    });
  }
  return failures;
}
