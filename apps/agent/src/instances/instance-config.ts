import { chmod, readFile, stat } from 'node:fs/promises';
import {
  InstanceConfigSettings,
  type InstanceConfig,
  type InstanceConfigUpdate,
} from '@ordo/protocol';
import { AgentError } from '../errors';
import { formatIni, parseIni, type IniDocument } from '../odoo/conf-file';
import { OdooConfError, readInstanceConfig, withSettings } from '../odoo/odoo-conf';
import { writeFileAtomic } from '../system/write-file-atomic';
import { startAndWait } from './instance-actions';
import type { InstanceDeps } from './instance-deps';
import { instancePaths, isOrdoAddonsPath, runtimeInstance } from './instance-paths';
import type { InstanceRecord } from './instance-record';
import { requireReadyInstance } from './require-instance';
import { mapRuntimeErrors } from './runtime-failure';

export async function getInstanceConfig(deps: InstanceDeps, name: string): Promise<InstanceConfig> {
  const record = await requireReadyInstance(deps, name, 'configure');
  return readConfig(deps, record, await readConf(deps, record));
}

/**
 * Applies `update` to odoo.conf (replaced atomically; Ordo's own keys stay as they are) and
 * restarts the instance if it runs, so that Odoo reads it. Answers the new configuration.
 */
export async function updateInstanceConfig(
  deps: InstanceDeps,
  name: string,
  update: InstanceConfigUpdate,
): Promise<InstanceConfig> {
  return deps.locks.run(name, async () => {
    const record = await requireReadyInstance(deps, name, 'configure');
    const document = await readConf(deps, record);
    const current = readConfig(deps, record, document);
    const merged = { ...current.settings, ...update };
    const checked = InstanceConfigSettings.safeParse(merged);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      throw new AgentError(
        'bad_request',
        400,
        `${issue?.path.join('.') ?? 'body'}: ${issue?.message ?? 'invalid'}`,
      );
    }
    if (merged.limitMemorySoft > merged.limitMemoryHard) {
      throw new AgentError(
        'bad_request',
        400,
        `limitMemorySoft: ${merged.limitMemorySoft} must not exceed limitMemoryHard (${merged.limitMemoryHard})`,
      );
    }
    for (const path of merged.extraAddonsPaths) {
      const isDir = await stat(path).then(
        (info) => info.isDirectory(),
        () => false,
      );
      if (!isDir) {
        throw new AgentError(
          'bad_request',
          400,
          `extraAddonsPaths: ${path} is not a directory on this server`,
        );
      }
    }

    // Whether it must restart to apply, and whether it can: asked before anything changes.
    const runs =
      (await deps.runtime.status(runtimeInstance(deps.root, record))).state !== 'stopped';
    if (runs) await mapRuntimeErrors(() => deps.runtime.preflight({ start: true }));

    const conf = instancePaths(deps.root, name).conf;
    const next = withSettings(document, merged, isOrdoAddonsPath(deps.root, record));
    await writeFileAtomic(conf, formatIni(next));
    await chmod(conf, 0o640);
    deps.logger.info({ instance: name, changed: Object.keys(update) }, 'odoo.conf updated');

    if (runs) {
      await mapRuntimeErrors(() => deps.runtime.stop(runtimeInstance(deps.root, record)));
      await startAndWait(deps, record);
    }
    return readConfig(deps, record, next);
  });
}

async function readConf(deps: InstanceDeps, record: InstanceRecord): Promise<IniDocument> {
  const path = instancePaths(deps.root, record.name).conf;
  try {
    return parseIni(await readFile(path, 'utf8'));
  } catch (error) {
    throw new AgentError(
      'internal',
      500,
      `Cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

function readConfig(
  deps: InstanceDeps,
  record: InstanceRecord,
  document: IniDocument,
): InstanceConfig {
  try {
    return readInstanceConfig(document, isOrdoAddonsPath(deps.root, record));
  } catch (error) {
    if (!(error instanceof OdooConfError)) throw error;
    throw new AgentError(
      'internal',
      500,
      `odoo.conf of "${record.name}" has a value Odoo cannot use: ${error.message}`,
    );
  }
}
