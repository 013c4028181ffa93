import { readFile } from 'node:fs/promises';
import { parseIni } from '../../odoo/conf-file';
import { DEFAULT_INSTANCE_SETTINGS, OPTIONS_SECTION } from '../../odoo/odoo-conf';
import type { RuntimeInstance } from '../runtime';
import { DockerRuntimeError } from './docker-error';

/** What the container of an instance is built from, as its odoo.conf says. */
export interface ConfFacts {
  /** Where Odoo listens; '' means every interface. */
  httpInterface: string;
  httpPort: number;
  geventPort: number;
  workers: number;
  maxCronThreads: number;
  /** Odoo's per-process hard memory limit, in bytes. */
  limitMemoryHard: number;
  addonsPaths: string[];
  dataDir: string | null;
  logfile: string | null;
}

/** Reads the facts from odoo.conf; a `config_unreadable` error names the file and the key. */
export async function readConfFacts(instance: RuntimeInstance): Promise<ConfFacts> {
  let text: string;
  try {
    text = await readFile(instance.confPath, 'utf8');
  } catch (error) {
    throw unreadable(instance, error instanceof Error ? error.message : String(error), error);
  }
  try {
    return confFacts(text);
  } catch (error) {
    throw unreadable(instance, error instanceof Error ? error.message : String(error), error);
  }
}

export function confFacts(text: string): ConfFacts {
  const options = parseIni(text).get(OPTIONS_SECTION) ?? new Map<string, string>();
  const get = (key: string) => {
    const value = options.get(key)?.trim();
    return value === undefined || value === '' || value === 'False' ? null : value;
  };
  const int = (key: string, fallback: number) => {
    const value = get(key);
    if (value === null) return fallback;
    if (!/^\d+$/.test(value)) throw new Error(`${key} = ${value} is not a whole number`);
    return Number(value);
  };
  return {
    httpInterface: get('http_interface') ?? '',
    httpPort: int('http_port', 8069),
    geventPort: int('gevent_port', int('longpolling_port', 8072)),
    workers: int('workers', 0),
    maxCronThreads: int('max_cron_threads', 2),
    limitMemoryHard: int('limit_memory_hard', DEFAULT_INSTANCE_SETTINGS.limitMemoryHard),
    addonsPaths: (get('addons_path') ?? '')
      .split(',')
      .map((path) => path.trim())
      .filter((path) => path !== ''),
    dataDir: get('data_dir'),
    logfile: get('logfile'),
  };
}

function unreadable(instance: RuntimeInstance, why: string, cause: unknown) {
  return new DockerRuntimeError(
    'config_unreadable',
    `Cannot build the container of ${instance.name} from ${instance.confPath}: ${why}`,
    { cause },
  );
}
